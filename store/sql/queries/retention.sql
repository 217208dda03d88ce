-- Retention (store/retention.py): purge soft-deleted drawings and archive flagged ones after
-- their periods. Each batch is one short transaction; SKIP LOCKED leaves rows an admin is
-- changing right now to the next run instead of waiting on them.

-- name: count_purgeable
SELECT count(*) FROM drawings WHERE deleted_at < $1

-- name: count_archivable
SELECT count(*)
FROM drawings
WHERE is_flagged AND deleted_at IS NULL AND coalesce(flagged_at, created_at) < $1

-- name: purge_batch
-- The rows go; the bytes stay in their shard (shards are immutable, see store/retention.py).
DELETE FROM drawings
WHERE id IN (
    SELECT id FROM drawings
    WHERE deleted_at < $1
    ORDER BY deleted_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)

-- name: archive_batch
-- Moved, not copied: the DELETE and the INSERT commit together.
WITH moved AS (
    DELETE FROM drawings
    WHERE id IN (
        SELECT id FROM drawings
        WHERE is_flagged AND deleted_at IS NULL AND coalesce(flagged_at, created_at) < $1
        ORDER BY coalesce(flagged_at, created_at)
        LIMIT $2
        FOR UPDATE SKIP LOCKED
    )
    RETURNING id, user_id, session_id, shape_id, shard_key, byte_offset, byte_length,
              stroke_count, point_count, duration_ms, device, metadata, quality_score,
              is_flagged, flag_reason, created_at, deleted_at, flagged_at
)
INSERT INTO drawings_archive (
    id, user_id, session_id, shape_id, shard_key, byte_offset, byte_length, stroke_count,
    point_count, duration_ms, device, metadata, quality_score, is_flagged, flag_reason,
    created_at, deleted_at, flagged_at
)
SELECT * FROM moved
