-- name: locations
-- The drawings a training job learns from, grouped by shard for sequential reads. Flagged and
-- soft-deleted rows never qualify; the partial index drawings_quality_idx covers the filter.
-- $1 is cast to real because quality_score is real: 0.9::float8 > 0.9::real would otherwise
-- drop rows scoring exactly the threshold.
SELECT id, shape_id, shard_key, byte_offset, byte_length
FROM drawings
WHERE deleted_at IS NULL
  AND NOT is_flagged
  AND quality_score >= $1::real
  AND shape_id = ANY($2::smallint[])
  AND created_at >= coalesce($3::timestamptz, '-infinity')
  AND created_at < coalesce($4::timestamptz, 'infinity')
  AND (device <> 'synthetic' OR $5::boolean)
  AND (device <> 'generated' OR $6::boolean)
ORDER BY shard_key, byte_offset
