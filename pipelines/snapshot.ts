// Full-refresh of a job's output table: fill the *_next twin, then swap the two with
// EXCHANGE TABLES, which the Atomic database engine does atomically, so a reader sees the
// old snapshot or the new one, never an empty or half-filled table.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { SETTING_PROFILES } from '../server/store/client.js'
import { command, namedQuery, query, toChTime } from '../server/store/query.js'
import { readsSettled } from '../server/store/reads-in-flight.js'

/**
 * Tables a job may rebuild: the names bound as identifiers in sql/queries/snapshot-*.sql
 * only ever come from this list (each with its *_next twin).
 */
export const SNAPSHOT_TABLES = [
  'sku_return_rates', 'reason_mix', 'turnaround_daily', 'open_returns', 'cost_daily', 'sku_costs', 'sku_cost_months', 'flows',
  'category_daily',
] as const
export type SnapshotTable = (typeof SNAPSHOT_TABLES)[number]

/**
 * The month-partitioned snapshots, with the statement that swaps one month in from the
 * twin (ClickHouse binds no parameter for REPLACE PARTITION's source table).
 */
const MONTHLY_SNAPSHOTS = {
  turnaround_daily: 'snapshot-replace-month-turnaround-daily',
  open_returns: 'snapshot-replace-month-open-returns',
  cost_daily: 'snapshot-replace-month-cost-daily',
  sku_costs: 'snapshot-replace-month-sku-costs',
  sku_cost_months: 'snapshot-replace-month-sku-cost-months',
} as const
export type MonthlySnapshot = keyof typeof MONTHLY_SNAPSHOTS

/** A job's scratch tables (Memory or MergeTree), emptied before and after use. */
export type ScratchTable = 'turnaround_requests_next' | 'cost_decisions_next' | 'turnaround_requests_full'

const nextOf = (table: SnapshotTable) => `${table}_next` as const

/** Empties a snapshot's *_next twin or a scratch table. */
export async function truncate(client: ClickHouseClient, table: `${SnapshotTable}_next` | ScratchTable): Promise<void> {
  await command(client, { query: namedQuery('snapshot-truncate'), params: { table }, tag: `job.${table}.truncate` })
}

/** Runs a job's named fill statement (INSERT … SELECT) under the refresh setting profile. */
export async function fillStatement(client: ClickHouseClient, name: string, tag: string, params: Record<string, unknown>): Promise<void> {
  await command(client, { query: namedQuery(name), params, tag, settings: SETTING_PROFILES.refresh })
}

export async function refreshSnapshot(
  client: ClickHouseClient, table: SnapshotTable, queryName: string, asOf: Date, params: Record<string, unknown> = {},
): Promise<number> {
  await truncate(client, nextOf(table))
  await fillStatement(client, queryName, `job.${queryName}`, { asOf: toChTime(asOf), ...params })
  await swapIn(client, table)
  return countRows(client, table)
}

/** Puts a filled *_next twin in place of its snapshot with EXCHANGE TABLES (atomic). */
export async function swapIn(client: ClickHouseClient, table: SnapshotTable): Promise<void> {
  await command(client, { query: namedQuery('snapshot-exchange'), params: { table, next: nextOf(table) }, tag: `job.${table}.exchange` })
  // The old snapshot now sits in *_next; emptying it keeps the disk to one copy.
  await truncate(client, nextOf(table))
}

/**
 * Swaps `months` of month-partitioned snapshots in from their *_next twins (filled
 * beforehand), each with REPLACE PARTITION, atomic per month; a month with no rows in
 * *_next empties the live one. Then empties the twins.
 */
export async function replaceMonths(client: ClickHouseClient, tables: readonly MonthlySnapshot[], months: number[]): Promise<void> {
  for (const table of tables) {
    for (const month of months) {
      await command(client, {
        query: namedQuery(MONTHLY_SNAPSHOTS[table]), params: { month }, tag: `job.${table}.replace-month`,
        settings: SETTING_PROFILES.replaceFromEmpty,
      })
    }
    await truncate(client, nextOf(table))
  }
}

const BlockRow = z.object({ block: z.coerce.number() })
const CountRow = z.object({ n: z.coerce.number() })

/**
 * The highest insert block number among a table's active parts: every insert raises it,
 * merges keep it, so an unchanged number means nothing was inserted since.
 */
export async function lastInsertBlock(client: ClickHouseClient, table: 'rma_milestones'): Promise<number> {
  const [row] = await query(client, { query: namedQuery('table-last-insert-block'), params: { table }, tag: 'job.last-insert-block', schema: BlockRow })
  return row?.block ?? 0
}

export async function countRows(client: ClickHouseClient, table: SnapshotTable): Promise<number> {
  const [{ n }] = await query(client, { query: namedQuery('snapshot-count'), params: { table }, tag: `job.${table}.count`, schema: CountRow })
  return n
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
      await truncate(client, staging)
      await pass(months.slice(i, i + monthsPerPass))
    }
  } finally {
    await truncate(client, staging)
  }
}
