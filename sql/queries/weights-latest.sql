-- The current weights: the highest version (every change is a new row).
SELECT * FROM weights_versions ORDER BY version DESC LIMIT 1
