-- name: active
-- The live model of one kind (the partial unique index allows at most one).
SELECT id, kind, version, artifact_key, metadata_key, metrics, dataset, is_active,
       created_at, activated_at, job_id
FROM models
WHERE kind = $1 AND is_active

-- name: by_id
SELECT id, kind, version, artifact_key, metadata_key, metrics, dataset, is_active,
       created_at, activated_at, job_id
FROM models
WHERE id = $1

-- name: insert
-- A freshly trained model; inactive until an admin activates it.
INSERT INTO models (id, kind, version, artifact_key, metadata_key, metrics, dataset, job_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id, kind, version, artifact_key, metadata_key, metrics, dataset, is_active,
          created_at, activated_at, job_id

-- name: next_version
SELECT coalesce(max(version), 0) + 1 FROM models WHERE kind = $1

-- name: lock_kind
-- Serialises activations of one kind: two concurrent activations would otherwise each clear
-- the flags they saw and then collide on the one-active index.
SELECT pg_advisory_xact_lock(hashtext('drawstream.models.' || $1))

-- name: deactivate_others
UPDATE models SET is_active = false WHERE kind = $1 AND is_active AND id <> $2

-- name: activate
UPDATE models SET is_active = true, activated_at = now()
WHERE id = $1
RETURNING id, kind, version, artifact_key, metadata_key, metrics, dataset, is_active,
          created_at, activated_at, job_id

-- name: page
-- The versions of one kind, newest first, for the admin portal (bounded by $2).
SELECT id, kind, version, artifact_key, metadata_key, metrics, dataset, is_active,
       created_at, activated_at, job_id
FROM models
WHERE kind = $1
ORDER BY version DESC
LIMIT $2
