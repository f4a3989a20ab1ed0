-- The return a tracking token opens (only the token's hash is stored).
SELECT rma_id FROM tracking_tokens WHERE token_sha256 = SHA256({token:String}) LIMIT 1
