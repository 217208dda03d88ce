-- name: find_by_email
-- Emails compare case-insensitively, like the unique index on lower(email).
SELECT id, email, password_hash
FROM admin_users
WHERE lower(email) = lower($1)

-- name: create
-- The only statement that adds an admin; `drawstream create-admin` is its only caller.
INSERT INTO admin_users (id, email, password_hash)
VALUES ($1, $2, $3)

-- name: record_login
UPDATE admin_users SET last_login_at = now() WHERE id = $1
