"""ARQ worker: the ingest flusher, training and maintenance jobs."""
