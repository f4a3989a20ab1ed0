-- The capacity-efficiency KPI also against first come first served (issue 17): each
-- solve records the KPI's lines decided again in arrival order without prices — their
-- total score and the wishes that replay turned away — so the overview shows what the
-- prices added beside what hindsight says was left. NULL on solves recorded before.
ALTER TABLE bid_price_solves ADD COLUMN IF NOT EXISTS greedy_score Nullable(Float64) DEFAULT NULL;
ALTER TABLE bid_price_solves ADD COLUMN IF NOT EXISTS greedy_wishes_lost Nullable(Float64) DEFAULT NULL;
