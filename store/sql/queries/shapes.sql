-- name: list_shapes
SELECT id, name, description, difficulty FROM shapes ORDER BY id
