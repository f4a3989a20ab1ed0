-- The highest insert block number among a table's active parts: every insert raises it,
-- merges keep it, so an unchanged number means nothing was inserted since.
SELECT max(max_block_number) AS block FROM system.parts WHERE database = currentDatabase() AND active AND table = {table:String}
