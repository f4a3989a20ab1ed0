-- Rollback of orphaned decisions: the tokens they were given (never handed out) lead nowhere.
DELETE FROM tracking_tokens WHERE token_sha256 IN (SELECT SHA256(token) FROM (SELECT arrayJoin({tokens:Array(String)}) AS token))
