-- One version of the weights.
SELECT * FROM weights_versions WHERE version = {version:UInt32} LIMIT 1
