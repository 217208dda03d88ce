-- The dataset's schema: who drew, what was asked, where each drawing's bytes live,
-- and the training jobs and models built from it.

CREATE TABLE shapes (
    id          smallint PRIMARY KEY CHECK (id > 0),
    name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z]{2,32}$'),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    difficulty  smallint NOT NULL CHECK (difficulty BETWEEN 1 AND 5)
);

INSERT INTO shapes (id, name, description, difficulty) VALUES
    (1, 'line', 'One straight stroke, any direction.', 1),
    (2, 'circle', 'A round closed loop.', 2),
    (3, 'square', 'Four equal sides and four right angles.', 2),
    (4, 'triangle', 'Three straight sides meeting in three corners.', 2),
    (5, 'heart', 'Two rounded lobes meeting in a point at the bottom.', 3);

-- Anonymous players: a browser-held id and a generated nickname, no personal data.
CREATE TABLE users (
    id             uuid PRIMARY KEY,
    nickname       text NOT NULL CHECK (length(nickname) BETWEEN 1 AND 64),
    total_drawings integer NOT NULL DEFAULT 0 CHECK (total_drawings >= 0),
    best_streak    integer NOT NULL DEFAULT 0 CHECK (best_streak >= 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per accepted drawing; the strokes live in an immutable shard object, addressed
-- by (shard_key, byte_offset, byte_length) so one drawing is one ranged GET.
CREATE TABLE drawings (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id),
    session_id    text NOT NULL CHECK (length(session_id) BETWEEN 1 AND 64),
    shape_id      smallint NOT NULL REFERENCES shapes (id),
    shard_key     text NOT NULL CHECK (length(shard_key) BETWEEN 1 AND 512),
    byte_offset   bigint NOT NULL CHECK (byte_offset >= 0),
    byte_length   integer NOT NULL CHECK (byte_length > 0),
    stroke_count  integer NOT NULL CHECK (stroke_count > 0),
    point_count   integer NOT NULL CHECK (point_count > 0),
    duration_ms   integer NOT NULL CHECK (duration_ms >= 0),
    device        text NOT NULL
        CHECK (device IN ('mouse', 'touch', 'pen', 'synthetic', 'generated', 'unknown')),
    metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
    quality_score real NOT NULL CHECK (quality_score BETWEEN 0 AND 1),
    is_flagged    boolean NOT NULL DEFAULT false,
    flag_reason   text CHECK (flag_reason IS NULL OR length(flag_reason) <= 500),
    created_at    timestamptz NOT NULL,
    deleted_at    timestamptz,
    CHECK (deleted_at IS NULL OR deleted_at >= created_at)
);

-- Keyset pagination of live rows, newest first.
CREATE INDEX drawings_live_created_idx ON drawings (created_at DESC, id DESC)
    WHERE deleted_at IS NULL;
CREATE INDEX drawings_shape_created_idx ON drawings (shape_id, created_at DESC, id DESC)
    WHERE deleted_at IS NULL;
-- Training selection: usable rows by quality.
CREATE INDEX drawings_quality_idx ON drawings (shape_id, quality_score)
    WHERE deleted_at IS NULL AND NOT is_flagged;
-- Review queue of flagged rows.
CREATE INDEX drawings_flagged_idx ON drawings (created_at DESC) WHERE is_flagged;
CREATE INDEX drawings_deleted_idx ON drawings (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX drawings_session_idx ON drawings (session_id);
CREATE INDEX drawings_shard_idx ON drawings (shard_key, byte_offset);

CREATE TABLE admin_users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);
CREATE UNIQUE INDEX admin_users_email_idx ON admin_users (lower(email));

CREATE TABLE models (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL DEFAULT 'classifier' CHECK (kind IN ('classifier', 'generator')),
    version      integer NOT NULL CHECK (version > 0),
    artifact_key text NOT NULL,
    metadata_key text NOT NULL,
    metrics      jsonb NOT NULL DEFAULT '{}'::jsonb,
    dataset      jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active    boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    activated_at timestamptz,
    UNIQUE (kind, version)
);
-- Exactly one live model per kind: activation flips flags in one transaction.
CREATE UNIQUE INDEX models_one_active_idx ON models (kind) WHERE is_active;

CREATE TABLE training_jobs (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL DEFAULT 'classifier' CHECK (kind IN ('classifier', 'generator')),
    config       jsonb NOT NULL,
    config_hash  text NOT NULL CHECK (length(config_hash) = 64),
    status       text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
    progress     jsonb NOT NULL DEFAULT '{}'::jsonb,
    metrics      jsonb,
    error        text,
    model_id     uuid REFERENCES models (id),
    worker       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    heartbeat_at timestamptz,
    finished_at  timestamptz,
    CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at)
);
-- Starting the same config twice while one is in flight returns the existing job.
CREATE UNIQUE INDEX training_jobs_inflight_idx ON training_jobs (config_hash)
    WHERE status IN ('pending', 'queued', 'running');
CREATE INDEX training_jobs_created_idx ON training_jobs (created_at DESC);

ALTER TABLE models ADD COLUMN job_id uuid REFERENCES training_jobs (id);
