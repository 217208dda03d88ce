"""Adapters to everything outside the process: PostgreSQL, Redis, object storage."""
