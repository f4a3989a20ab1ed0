-- Rollback of orphaned decisions, after their rows are deleted: a token an orphan shared
-- with a decision that stays (a re-decision keeps its line's token) leads to it again,
-- as tracking_tokens_mv wrote it.
INSERT INTO tracking_tokens (token_sha256, rma_id, decided_at)
SELECT SHA256(tracking_token), rma_id, decided_at FROM decisions
WHERE rma_id IN {rmas:Array(String)} AND tracking_token IN {tokens:Array(String)}
