-- Every subscription not deleted, its current version (ReplacingMergeTree FINAL).
SELECT subscription_id, url, description, events, secret, previous_secret, rotated_at, enabled, disabled_reason, deleted, created_at, updated_at, author
FROM webhook_subscriptions FINAL WHERE deleted = 0
