-- One outbox message of a subscription (manual redelivery).
SELECT msg_id, subscription_id, event_type, order_key, seq, payload, created_at FROM webhook_messages FINAL
WHERE subscription_id = {sub:String} AND msg_id = {msg:String}
