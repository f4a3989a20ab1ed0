-- The newest {limit} versions of the weights, newest first (the audit trail).
SELECT * FROM weights_versions ORDER BY version DESC LIMIT {limit:UInt32}
