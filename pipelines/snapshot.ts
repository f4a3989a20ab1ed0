// Full-refresh of a job's output table: fill the *_next twin, then swap the two with
// EXCHANGE TABLES, which the Atomic database engine does atomically, so a reader sees the
// old snapshot or the new one, never an empty or half-filled table.
import { availableParallelism } from 'node:os'
import type { ClickHouseClient } from '@clickhouse/client'
import { namedQuery, query, toChTime } from '../server/store/query.js'
import { readsSettled } from '../server/store/reads-in-flight.js'

/** Tables a job may rebuild: identifiers only ever come from this list. */
export const SNAPSHOT_TABLES = [
  'sku_return_rates', 'reason_mix', 'turnaround_daily', 'open_returns', 'cost_daily', 'sku_costs', 'flows', 'category_daily',
] as const
export type SnapshotTable = (typeof SNAPSHOT_TABLES)[number]

// Big refreshes must not take the whole machine: cap memory per query and let a large
// GROUP BY spill to disk instead of failing.
export const REFRESH_SETTINGS = {
  max_memory_usage: '6000000000',
  max_bytes_before_external_group_by: '2000000000',
  optimize_aggregation_in_order: 1,
  // INSERT … SELECT sorts and writes its parts on one thread unless told otherwise: at
  // 10M that was a fifth of sku_costs' full build (4.8–5.1 s → 4.0 s on 2 cores).
  max_insert_threads: String(availableParallelism()),
} as const

export async function refreshSnapshot(
  client: ClickHouseClient, table: SnapshotTable, queryName: string, asOf: Date, params: Record<string, unknown> = {},
): Promise<number> {
  await client.command({ query: `TRUNCATE TABLE ${table}_next` })
  await client.command({
    query: namedQuery(queryName),
    query_params: { asOf: toChTime(asOf), ...params },
    clickhouse_settings: { ...REFRESH_SETTINGS, log_comment: `job.${queryName}` },
  })
  await swapIn(client, table)
  const [{ n }] = await query<{ n: number }>(client, { query: `SELECT count() AS n FROM ${table}`, tag: `job.${table}.count` })
  return Number(n)
}

/** Puts a filled *_next twin in place of its snapshot with EXCHANGE TABLES (atomic). */
export async function swapIn(client: ClickHouseClient, table: SnapshotTable): Promise<void> {
  await client.command({ query: `EXCHANGE TABLES ${table}_next AND ${table}` })
  // The old snapshot now sits in *_next; emptying it keeps the disk to one copy.
  await client.command({ query: `TRUNCATE TABLE ${table}_next` })
}

/**
 * Swaps `months` of month-partitioned snapshots in from their *_next twins (filled
 * beforehand), each with REPLACE PARTITION, atomic per month; a month with no rows in
 * *_next empties the live one. Then empties the twins.
 */
export async function replaceMonths(client: ClickHouseClient, tables: readonly SnapshotTable[], months: number[]): Promise<void> {
  for (const table of tables) {
    for (const m of months) {
      await client.command({
        query: `ALTER TABLE ${table} REPLACE PARTITION ${Number(m)} FROM ${table}_next`,
        clickhouse_settings: { allow_replace_partition_from_empty_source: 1 } as Record<string, number>,
      })
    }
    await client.command({ query: `TRUNCATE TABLE ${table}_next` })
  }
}

/**
 * The highest insert block number among a table's active parts: every insert raises it,
 * merges keep it, so an unchanged number means nothing was inserted since.
 */
export async function lastInsertBlock(client: ClickHouseClient, table: string): Promise<number> {
  const [row] = await query<{ block: number }>(client, {
    query: 'SELECT max(max_block_number) AS block FROM system.parts WHERE database = currentDatabase() AND active AND table = {table:String}',
    params: { table }, tag: 'job.last-insert-block',
  })
  return Number(row?.block ?? 0)
}

export async function countRows(client: ClickHouseClient, table: SnapshotTable): Promise<number> {
  const [{ n }] = await query<{ n: number }>(client, { query: `SELECT count() AS n FROM ${table}`, tag: `job.${table}.count` })
  return Number(n)
}

/**
 * Request months an incremental run stages per pass: bounds its Memory staging table
 * (≈ 0.8–0.9 M rows a month at 10 M returns a year) when a late event touches many months.
 */
const MONTHS_PER_PASS = 3

/**
 * Longest a job waits between two of its statements for the dashboard reads in flight;
 * readers that never pause must not hold a build forever.
 */
const MAX_GAP_MS = 250

/**
 * The pause between two statements of a long job. The embedded store runs one query at a
 * time, so a read issued during a statement waits for it; here the job steps aside until
 * those reads (and the queries they issue next) have run, before its next statement.
 */
export function betweenPasses(client: ClickHouseClient): Promise<void> {
  return readsSettled(client, MAX_GAP_MS)
}

/**
 * Runs a refresh of `months` a few months at a time (`monthsPerPass`, by default what
 * bounds an incremental run's staging): each pass empties the staging table (a Memory
 * table, scratch of the run) and calls `pass` with its months, which stages them and
 * fills the outputs' *_next twins from the stage; the staging table is emptied at the
 * end, whatever happens. Reads waiting on the store run between passes.
 */
export async function inStagedPasses(
  client: ClickHouseClient, staging: 'turnaround_requests_next' | 'cost_decisions_next', months: number[],
  pass: (months: number[]) => Promise<void>, monthsPerPass = MONTHS_PER_PASS,
): Promise<void> {
  try {
    for (let i = 0; i < months.length; i += monthsPerPass) {
      await betweenPasses(client)
      await client.command({ query: `TRUNCATE TABLE ${staging}` })
      await pass(months.slice(i, i + monthsPerPass))
    }
  } finally {
    await client.command({ query: `TRUNCATE TABLE ${staging}` })
  }
}
