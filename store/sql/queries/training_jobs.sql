-- name: insert_if_absent
-- A new pending job, unless one with the same config hash is in flight (the partial unique
-- index training_jobs_inflight_idx): then nothing is inserted and the caller reads that one.
INSERT INTO training_jobs (id, kind, config, config_hash)
VALUES ($1, $2, $3, $4)
ON CONFLICT (config_hash) WHERE status IN ('pending', 'queued', 'running') DO NOTHING
RETURNING id, kind, config, config_hash, status, progress, metrics, error, model_id, worker,
          created_at, started_at, heartbeat_at, finished_at

-- name: in_flight_by_hash
SELECT id, kind, config, config_hash, status, progress, metrics, error, model_id, worker,
       created_at, started_at, heartbeat_at, finished_at
FROM training_jobs
WHERE config_hash = $1 AND status IN ('pending', 'queued', 'running')

-- name: by_id
SELECT id, kind, config, config_hash, status, progress, metrics, error, model_id, worker,
       created_at, started_at, heartbeat_at, finished_at
FROM training_jobs
WHERE id = $1

-- name: status_of
SELECT status FROM training_jobs WHERE id = $1

-- name: page
-- Newest first; $1 (a job id) continues after that job (keyset, stable while jobs are added).
SELECT id, kind, config, config_hash, status, progress, metrics, error, model_id, worker,
       created_at, started_at, heartbeat_at, finished_at
FROM training_jobs
WHERE $1::uuid IS NULL
   OR (created_at, id) < (SELECT created_at, id FROM training_jobs WHERE id = $1)
ORDER BY created_at DESC, id DESC
LIMIT $2

-- name: mark_queued
UPDATE training_jobs SET status = 'queued'
WHERE id = $1 AND status = ANY($2::text[])
RETURNING id, kind, config, config_hash, status, progress, metrics, error, model_id, worker,
          created_at, started_at, heartbeat_at, finished_at

-- name: mark_running
UPDATE training_jobs
SET status = 'running', worker = $2, progress = $3, started_at = now(), heartbeat_at = now()
WHERE id = $1 AND status = ANY($4::text[])
RETURNING id, kind, config, config_hash, status, progress, metrics, error, model_id, worker,
          created_at, started_at, heartbeat_at, finished_at

-- name: finish
-- Into a terminal state. metrics and progress keep their last values when NULL is passed.
UPDATE training_jobs
SET status = $2, error = $3, metrics = coalesce($4, metrics), progress = coalesce($5, progress),
    model_id = $6, finished_at = now()
WHERE id = $1 AND status = ANY($7::text[])
RETURNING id, kind, config, config_hash, status, progress, metrics, error, model_id, worker,
          created_at, started_at, heartbeat_at, finished_at

-- name: heartbeat
-- The worker is alive (and, with $2, how far it got). No row back: the job is no longer
-- running here (reaped or finished elsewhere), so the worker must stop.
UPDATE training_jobs
SET heartbeat_at = now(), progress = coalesce($2, progress)
WHERE id = $1 AND status = 'running'
RETURNING id

-- name: reap_stale
-- Running jobs whose worker stopped heartbeating $1 seconds ago or more: the worker died
-- (kill -9, lost machine). They end failed so nothing waits on them forever.
UPDATE training_jobs
SET status = 'failed', finished_at = now(),
    error = 'worker ' || coalesce(worker, 'unknown') || ' stopped reporting: no heartbeat since '
            || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            || ' (more than ' || $1::int || ' s); presumed dead'
WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1::int)
RETURNING id, kind, config, config_hash, status, progress, metrics, error, model_id, worker,
          created_at, started_at, heartbeat_at, finished_at
