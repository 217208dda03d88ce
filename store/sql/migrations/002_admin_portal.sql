-- The admin portal: exact dashboard counters kept by triggers, indexes for the data browser,
-- and what retention needs (when a drawing was flagged, and where archived drawings go).

-- When a drawing was flagged: flagged drawings are archived this long after flagging, not
-- after drawing (an old drawing flagged today must stay reviewable). Rows flagged before
-- this column existed count from now.
ALTER TABLE drawings ADD COLUMN flagged_at timestamptz;
UPDATE drawings SET flagged_at = greatest(now(), created_at) WHERE is_flagged;

-- Archived drawings: flagged drawings past the retention period leave `drawings` (so the
-- live table, its indexes and every dataset query stay lean) but keep their metadata and
-- shard location here, to be inspected or moved back by SQL. Same columns as `drawings` plus
-- `archived_at`; a migration that adds a column to `drawings` must add it here too.
CREATE TABLE drawings_archive (LIKE drawings INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE drawings_archive
    ADD COLUMN archived_at timestamptz NOT NULL DEFAULT now(),
    ADD PRIMARY KEY (id);
CREATE INDEX drawings_archive_archived_idx ON drawings_archive (archived_at);

-- Quality bucket 0..9 of a score: [0, 0.1) is 0, ..., [0.9, 1] is 9. The thresholds are
-- compared as `real`, like the browser's qmin/qmax filters, so a score of 0.7 is counted in
-- the bucket that `qmin=0.7` selects.
CREATE FUNCTION drawing_quality_bucket(q real) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN width_bucket(q, '{0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9}'::real[])::smallint;

-- Dashboard counters, exact at every commit: one row per combination of the dimensions the
-- dashboard groups by (a few hundred rows however many drawings exist), so /api/admin/stats
-- reads a few hundred rows instead of counting millions.
CREATE TABLE drawing_counts (
    shape_id       smallint NOT NULL,
    device         text NOT NULL,
    quality_bucket smallint NOT NULL,
    is_flagged     boolean NOT NULL,
    is_deleted     boolean NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (shape_id, device, quality_bucket, is_flagged, is_deleted)
);

-- Live (not soft-deleted) drawings per UTC day of creation.
CREATE TABLE drawing_days (
    day date PRIMARY KEY,
    n   bigint NOT NULL
);

-- Statement-level triggers with transition tables: one aggregate per statement, not per row,
-- so a flushed batch of 1,000 drawings costs two small upserts. Deltas are applied in key
-- order, so concurrent writers lock counter rows in the same order and cannot deadlock;
-- zero deltas (an update that changes no counted dimension) touch nothing. The delta source
-- is chosen from fixed text by the trigger's operation (INSERT sees only `new_rows`, DELETE
-- only `old_rows`).
CREATE FUNCTION drawing_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS d FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS d FROM old_rows'
        ELSE 'SELECT *, 1 AS d FROM new_rows UNION ALL SELECT *, -1 AS d FROM old_rows'
    END;
BEGIN
    EXECUTE 'INSERT INTO drawing_counts AS c '
        || 'SELECT shape_id, device, drawing_quality_bucket(quality_score), is_flagged, '
        || '       deleted_at IS NOT NULL, sum(d) '
        || 'FROM (' || delta || ') x GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 '
        || 'ORDER BY 1, 2, 3, 4, 5 '
        || 'ON CONFLICT (shape_id, device, quality_bucket, is_flagged, is_deleted) '
        || 'DO UPDATE SET n = c.n + EXCLUDED.n';
    EXECUTE 'INSERT INTO drawing_days AS c '
        || 'SELECT (created_at AT TIME ZONE ''UTC'')::date, sum(d) '
        || 'FROM (' || delta || ') x WHERE deleted_at IS NULL '
        || 'GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1 '
        || 'ON CONFLICT (day) DO UPDATE SET n = c.n + EXCLUDED.n';
    RETURN NULL;
END
$$;

-- TRUNCATE drawings (tests, a reset) empties the counters with it.
CREATE FUNCTION drawing_counts_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM drawing_counts;
    DELETE FROM drawing_days;
    RETURN NULL;
END
$$;

-- The triggers come first: they lock `drawings` against writers until this migration
-- commits, so no row can slip between the initial count below and the triggers' deltas.
CREATE TRIGGER drawings_count_insert AFTER INSERT ON drawings
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION drawing_counts_apply();
CREATE TRIGGER drawings_count_update AFTER UPDATE ON drawings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION drawing_counts_apply();
CREATE TRIGGER drawings_count_delete AFTER DELETE ON drawings
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION drawing_counts_apply();
CREATE TRIGGER drawings_count_truncate AFTER TRUNCATE ON drawings
    FOR EACH STATEMENT EXECUTE FUNCTION drawing_counts_reset();

INSERT INTO drawing_counts
SELECT shape_id, device, drawing_quality_bucket(quality_score), is_flagged,
       deleted_at IS NOT NULL, count(*)
FROM drawings
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO drawing_days
SELECT (created_at AT TIME ZONE 'UTC')::date, count(*)
FROM drawings
WHERE deleted_at IS NULL
GROUP BY 1;

-- The data browser pages newest first, (created_at DESC, id DESC), under any mix of filters.
-- Each index below carries the filterable columns (INCLUDE), so the page's keys are found by
-- an index-only scan that checks every filter on the index entry, and only the rows of the
-- page itself are read from the table. The planner picks the one whose leading column or
-- predicate narrows the walk most: shape, device, flagged, deleted, session, quality, or none.
-- They replace 001's narrower indexes on the same orderings.
DROP INDEX drawings_live_created_idx;
DROP INDEX drawings_shape_created_idx;
DROP INDEX drawings_flagged_idx;
DROP INDEX drawings_session_idx;
CREATE INDEX drawings_browse_idx ON drawings (created_at DESC, id DESC)
    INCLUDE (shape_id, device, quality_score, is_flagged, deleted_at);
CREATE INDEX drawings_browse_shape_idx ON drawings (shape_id, created_at DESC, id DESC)
    INCLUDE (device, quality_score, is_flagged, deleted_at);
CREATE INDEX drawings_browse_device_idx ON drawings (device, created_at DESC, id DESC)
    INCLUDE (shape_id, quality_score, is_flagged, deleted_at);
CREATE INDEX drawings_browse_flagged_idx ON drawings (created_at DESC, id DESC)
    INCLUDE (shape_id, device, quality_score, deleted_at) WHERE is_flagged;
CREATE INDEX drawings_browse_deleted_idx ON drawings (created_at DESC, id DESC)
    INCLUDE (shape_id, device, quality_score, is_flagged) WHERE deleted_at IS NOT NULL;
CREATE INDEX drawings_session_idx ON drawings (session_id, created_at DESC, id DESC);
-- A narrow quality range (qmax=0.1) matches few rows spread over the whole table: found by a
-- range scan here and sorted, instead of walking every row in time order.
CREATE INDEX drawings_browse_quality_idx ON drawings (quality_score)
    INCLUDE (created_at, id, shape_id, device, is_flagged, deleted_at);

-- Retention: flagged live drawings in the order they become due for the archive.
CREATE INDEX drawings_flagged_due_idx ON drawings ((coalesce(flagged_at, created_at)))
    WHERE is_flagged AND deleted_at IS NULL;
