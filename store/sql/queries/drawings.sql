-- name: upsert_users
-- One row per player seen in a flushed batch; totals are reconciled from Redis counts.
INSERT INTO users (id, nickname, total_drawings, best_streak, last_seen_at)
SELECT u.id, u.nickname, u.total, u.best, u.seen
FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::timestamptz[])
    AS u(id, nickname, total, best, seen)
ON CONFLICT (id) DO UPDATE SET
    total_drawings = GREATEST(users.total_drawings, EXCLUDED.total_drawings),
    best_streak = GREATEST(users.best_streak, EXCLUDED.best_streak),
    last_seen_at = GREATEST(users.last_seen_at, EXCLUDED.last_seen_at)

-- name: insert_drawings
-- A replayed batch (flusher crashed before acknowledging) inserts nothing twice.
INSERT INTO drawings (
    id, user_id, session_id, shape_id, shard_key, byte_offset, byte_length,
    stroke_count, point_count, duration_ms, device, metadata, quality_score, created_at
)
SELECT * FROM unnest(
    $1::uuid[], $2::uuid[], $3::text[], $4::smallint[], $5::text[], $6::bigint[], $7::int[],
    $8::int[], $9::int[], $10::int[], $11::text[], $12::jsonb[], $13::real[],
    $14::timestamptz[]
)
ON CONFLICT (id) DO NOTHING

-- name: locate_live
-- Where the bytes of every live drawing are, grouped by shard for sequential reads.
SELECT id, shape_id, shard_key, byte_offset, byte_length
FROM drawings
WHERE deleted_at IS NULL
ORDER BY shard_key, byte_offset

-- name: locate_one
SELECT id, shape_id, shard_key, byte_offset, byte_length, deleted_at
FROM drawings
WHERE id = $1

-- name: count_live
SELECT count(*) FROM drawings WHERE deleted_at IS NULL
