-- The latest bid-prices solve and its capacity-efficiency KPI (GET /api/v1/capacity,
-- GET /api/v1/capacity/efficiency).
SELECT {{include:bid-price-solve-columns}}
FROM bid_price_solves
ORDER BY solved_at DESC, run_id DESC
LIMIT 1
