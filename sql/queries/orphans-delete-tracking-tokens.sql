-- Rollback of orphaned decisions: the tokens they were given (never handed out) lead nowhere.
ALTER TABLE tracking_tokens DELETE WHERE token_sha256 IN (SELECT SHA256(token) FROM (SELECT arrayJoin({tokens:Array(String)}) AS token)) SETTINGS mutations_sync = 1
