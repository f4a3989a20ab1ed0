-- The bid-prices solves since a time, oldest first (GET /api/v1/capacity/history): the
-- KPI over time and the solves the price history is read at.
SELECT {{include:bid-price-solve-columns}}
FROM bid_price_solves
WHERE solved_at >= {since:DateTime64(3, 'UTC')}
ORDER BY solved_at, run_id
LIMIT {limit:UInt32}
