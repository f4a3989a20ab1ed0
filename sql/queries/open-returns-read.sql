SELECT status, sum(returns) AS returns, min(oldest_at) AS oldest_at FROM open_returns GROUP BY status ORDER BY returns DESC, status
