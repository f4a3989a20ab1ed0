-- The latest bid-prices solve and its capacity-efficiency KPI (GET /api/v1/capacity).
SELECT solved_at, columns, rows, solve_ms, prices, lines, bound, realised, efficiency
FROM bid_price_solves
ORDER BY solved_at DESC, run_id DESC
LIMIT 1
