SELECT status, returns, oldest_at FROM open_returns ORDER BY returns DESC, status
