-- Rows the generated history holds.
SELECT (SELECT count() FROM order_lines) AS orderLines, (SELECT count() FROM return_lines) AS returnLines,
       (SELECT count() FROM return_status) AS statuses, (SELECT count() FROM decisions) AS decisions
