-- The admin portal's queries (store/admin_drawings.py, store/admin_stats.py).
--
-- Statements marked with /*filters*/, /*set*/ or /*pending*/ are completed by
-- store/drawing_filters.py from the fixed fragments further down (`where_*`, `set_*`,
-- `pending_*`): each fragment numbers its own parameters from $1 and is renumbered to follow
-- the statement's, so every value is bound and the SQL text is only ever one of these pieces.
-- Fragments name bare columns of `drawings`.

-- name: browse
-- One page, newest first. The inner query finds the page's keys from a covering index alone
-- (every filter column is in it); the outer one reads just those rows.
WITH page AS (
    SELECT id, created_at
    FROM drawings
    WHERE /*filters*/
    ORDER BY created_at DESC, id DESC
    LIMIT $1
)
SELECT d.id, d.shape_id, d.created_at, d.quality_score, d.is_flagged, d.flag_reason,
       d.deleted_at, d.device, d.session_id, d.stroke_count, d.point_count, d.duration_ms
FROM page p
JOIN drawings d ON d.id = p.id
ORDER BY p.created_at DESC, p.id DESC

-- name: drawing
SELECT id, shape_id, created_at, quality_score, is_flagged, flag_reason, deleted_at, device,
       session_id, stroke_count, point_count, duration_ms, flagged_at, user_id, metadata,
       shard_key, byte_offset, byte_length
FROM drawings
WHERE id = $1

-- name: curate_one
UPDATE drawings
SET /*set*/
WHERE id = $1
RETURNING id, shape_id, created_at, quality_score, is_flagged, flag_reason, deleted_at, device,
          session_id, stroke_count, point_count, duration_ms

-- name: curate_ids
-- Rows already in the wanted state are not rewritten (nor counted as affected).
UPDATE drawings
SET /*set*/
WHERE id = ANY($1::uuid[]) AND /*pending*/

-- name: curate_batch
-- One batch of a filter-wide action: at most $1 rows, newest first, each its own short
-- transaction. Changed rows stop matching /*pending*/, so repeating it makes progress and
-- ends; the caller bounds /*filters*/ by creation time so new drawings do not extend it.
UPDATE drawings
SET /*set*/
WHERE id IN (
    SELECT id FROM drawings
    WHERE /*filters*/ AND /*pending*/
    ORDER BY created_at DESC, id DESC
    LIMIT $1
    FOR UPDATE
)

-- name: where_shape
shape_id = $1::smallint

-- name: where_from
created_at >= $1::timestamptz

-- name: where_to
created_at < $1::timestamptz

-- name: where_upto
created_at <= $1::timestamptz

-- name: where_qmin
quality_score >= $1::real

-- name: where_qmax
quality_score <= $1::real

-- name: where_flagged
is_flagged

-- name: where_unflagged
NOT is_flagged

-- name: where_deleted
deleted_at IS NOT NULL

-- name: where_live
deleted_at IS NULL

-- name: where_device
device = $1::text

-- name: where_synthetic
device = 'synthetic'

-- name: where_not_synthetic
device <> 'synthetic'

-- name: where_session
session_id = $1::text

-- name: where_after
-- Keyset: strictly after the cursor in (created_at DESC, id DESC) order.
(created_at, id) < ($1::timestamptz, $2::uuid)

-- name: set_flag
-- Re-flagging (a new reason) keeps the original flagging time: retention counts from it.
is_flagged = true,
flag_reason = $1::text,
flagged_at = CASE WHEN is_flagged THEN coalesce(flagged_at, now()) ELSE now() END

-- name: pending_flag
(NOT is_flagged OR flag_reason IS DISTINCT FROM $1::text)

-- name: set_unflag
is_flagged = false, flag_reason = NULL, flagged_at = NULL

-- name: pending_unflag
is_flagged

-- name: set_delete
-- A second delete keeps the first time: retention counts from it.
deleted_at = coalesce(deleted_at, greatest(now(), created_at))

-- name: pending_delete
deleted_at IS NULL

-- name: set_restore
deleted_at = NULL

-- name: pending_restore
deleted_at IS NOT NULL

-- name: set_quality
quality_score = $1::real

-- name: pending_quality
quality_score <> $1::real

-- name: stats
-- The whole dashboard from the counters migration 002 keeps exact, in one round trip of a few
-- dozen rows (breakdown, key, count): live drawings by shape, device and quality bucket, the
-- live flagged and the soft-deleted totals, and live drawings per UTC day since $1.
SELECT 'shape' AS breakdown, shape_id::text AS key, sum(n)::bigint AS n
FROM drawing_counts WHERE NOT is_deleted GROUP BY shape_id
UNION ALL
SELECT 'device', device, sum(n)::bigint
FROM drawing_counts WHERE NOT is_deleted GROUP BY device
UNION ALL
SELECT 'quality', quality_bucket::text, sum(n)::bigint
FROM drawing_counts WHERE NOT is_deleted GROUP BY quality_bucket
UNION ALL
SELECT 'flagged', 'all', coalesce(sum(n), 0)::bigint
FROM drawing_counts WHERE NOT is_deleted AND is_flagged
UNION ALL
SELECT 'deleted', 'all', coalesce(sum(n), 0)::bigint
FROM drawing_counts WHERE is_deleted
UNION ALL
SELECT 'day', day::text, n
FROM drawing_days WHERE day >= $1::date

-- name: recent_per_shape
-- Drawings stored in the last $1 seconds by shape, for the monitoring feed: an index-only
-- range at the head of drawings_browse_idx.
SELECT shape_id, count(*) AS n
FROM drawings
WHERE created_at >= now() - make_interval(secs => $1::double precision)
GROUP BY shape_id

-- name: evaluation_sample
-- The model comparison's sample: the $1 live, unflagged drawings with the lowest ids. Ids are
-- hashes (UUIDv5 of session and key), so this is a uniform random sample that stays the same
-- while the dataset does, read by walking the primary key.
SELECT id, shape_id, shard_key, byte_offset, byte_length
FROM drawings
WHERE deleted_at IS NULL AND NOT is_flagged
ORDER BY id
LIMIT $1
