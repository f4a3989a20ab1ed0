-- Sankey links of a window: reason → resolution and resolution → disposition. Node
-- names carry their layer as a prefix so the same word in two layers stays two nodes.
-- ORDER BY after a UNION ALL binds to its last SELECT only: the union is ordered outside.
SELECT source, target, value FROM (
    SELECT concat('reason:', reason) AS source, concat('resolution:', resolution) AS target, sum(lines) AS value
    FROM flows WHERE win = {win:String} GROUP BY source, target
    UNION ALL
    SELECT concat('resolution:', resolution) AS source, concat('disposition:', disposition) AS target, sum(lines) AS value
    FROM flows WHERE win = {win:String} GROUP BY source, target
)
ORDER BY source, target
