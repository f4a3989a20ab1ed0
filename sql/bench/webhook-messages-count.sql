-- Messages queued for one subscription.
SELECT count() AS n FROM webhook_messages WHERE subscription_id = {s:String}
