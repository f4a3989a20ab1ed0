// The benches' own statements, one file each in sql/bench/: generating a history inside
// the store, timing floors, the engines' comparison (ClickHouse and SQLite), counts, the
// day-grain references of the period reads. Read as the product reads sql/queries
// (server/store/query.ts): a `{{include:name}}` token stands for a product query's
// fragment, so a bench applies the product's rule rather than a copy of it. Names are a
// closed list: a missing file is a type error here, not a bench that fails an hour in.
import { readFileSync } from 'node:fs'
import { expandIncludes } from '../../server/store/query.js'

export const BENCH_SQL = [
  'generate-catalog', 'generate-order-lines', 'generate-return-lines', 'generate-return-status', 'generate-decisions',
  'merges-running', 'counts', 'floor-turnaround-pass', 'floor-cost-pass', 'sku-category-create',
  'compare-sku-rates-30d-ch', 'compare-sku-rates-30d-raw', 'compare-sku-rates-30d-sqlite',
  'compare-reasons-30d-ch', 'compare-reasons-30d-rollup-join', 'compare-reasons-30d-raw', 'compare-reasons-30d-sqlite',
  'compare-current-cost-ch', 'compare-current-cost-raw', 'compare-current-cost-sqlite', 'compare-current-cost-sqlite-alt',
  'compare-daily-returns-90d-ch', 'compare-daily-returns-90d-raw', 'compare-daily-returns-90d-sqlite',
  'export-order-lines', 'export-return-lines', 'export-decisions', 'export-sku-category',
  'sqlite-schema', 'sqlite-indexes',
  'sqlite-insert-order-lines', 'sqlite-insert-return-lines', 'sqlite-insert-decisions', 'sqlite-insert-sku-category',
  'raw-events-count', 'raw-events-ids', 'webhook-messages-count', 'generate-old-return-events', 'old-return-events-count',
  'period-skus-days', 'period-anomalies-days',
] as const
export type BenchSql = (typeof BENCH_SQL)[number]

const DIR = new URL('../../sql/bench/', import.meta.url)
const cache = new Map<BenchSql, string>()

/** Text of sql/bench/<name>.sql with its includes expanded (read once, then cached). */
export function benchSql(name: BenchSql): string {
  let sql = cache.get(name)
  if (sql === undefined) {
    sql = expandIncludes(readFileSync(new URL(`${name}.sql`, DIR), 'utf8'))
    cache.set(name, sql)
  }
  return sql
}
