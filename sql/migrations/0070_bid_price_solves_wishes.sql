-- The capacity-efficiency KPI compares scores only (issue 17): where hindsight honours
-- more customers' wishes than the decisions did, its score may be higher and the KPI
-- reads 100 %. Each solve now also records the wishes turned away over the same lines:
-- by their actual decisions (lines on a fall-back plan while a plan for the wish
-- existed) and by the hindsight LP (its fall-backs, fractional in an LP). NULL on solves
-- recorded before this column.
ALTER TABLE bid_price_solves ADD COLUMN IF NOT EXISTS wishes_lost Nullable(Float64) DEFAULT NULL;
ALTER TABLE bid_price_solves ADD COLUMN IF NOT EXISTS hindsight_wishes_lost Nullable(Float64) DEFAULT NULL;
