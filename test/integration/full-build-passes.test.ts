// Full builds of the turnaround and cost snapshots run in passes (one rma_id range or one
// month per statement) so dashboard reads get the embedded store between them; their rows
// must be those of the one-statement builds they replace. Checked on a generated history
// of several months (the analytics bench's generator) against the one-statement queries.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { createRuntime, type Runtime } from '../../server/runtime.js'
import { SETTING_PROFILES } from '../../server/store/client.js'
import { namedQuery, query, toChTime } from '../../server/store/query.js'
import { costRecoveryJob } from '../../pipelines/cost-recovery.job.js'
import { keyRanges, turnaroundJobWith } from '../../pipelines/turnaround.job.js'
import { generate } from '../bench/analytics.bench.js'

const RETURNS = 12_000
const DAYS = 200
let dir: string
let runtime: Runtime
let client: ClickHouseClient

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-passes-'))
  runtime = await createRuntime(loadConfig({ DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', DEMO: '0', PIPELINES: '0', API_KEYS: 'admin:test-admin-key-123' }), { navigator: false })
  client = runtime.ctx.store.client
  await generate(client, Date.now(), 0, RETURNS, DAYS)
}, 120_000)

afterAll(async () => {
  await runtime?.close()
  rmSync(dir, { recursive: true, force: true })
})

const turnaroundRows = (from: string) => query<Record<string, unknown>>(client, {
  query: `SELECT toString(day) AS day, toString(receiving_node_id) AS node, toString(resolution) AS res, toString(stage) AS stage, n,
                 round(sum_hours, 6) AS h, arrayMap(q -> round(q, 3), finalizeAggregation(hours_q)) AS q
          FROM ${from} ORDER BY day, node, res, stage`,
  tag: 'test',
})
const openRows = (from: string) => query<Record<string, unknown>>(client, {
  query: `SELECT month, toString(status) AS status, returns, toString(oldest_at) AS oldest FROM ${from} ORDER BY month, status`, tag: 'test',
})
const costDailyRows = (from: string) => query<Record<string, unknown>>(client, {
  query: `SELECT toString(day) AS day, toString(category) AS c, toString(reason) AS r, toString(resolution) AS res, toString(disposition) AS d, returns,
                 round(net_cost, 6) AS net, round(recovery, 6) AS rec, round(baseline_net_cost, 6) AS base, round(logistics, 6) AS lo,
                 round(handling, 6) AS ha, round(refunds, 6) AS re, round(repair, 6) AS rp, round(wait_hours, 6) AS w, round(baseline_wait_hours, 6) AS bw
          FROM ${from} ORDER BY day, c, r, res, d`,
  tag: 'test',
})
const skuCostRows = (from: string) => query<Record<string, unknown>>(client, {
  query: `SELECT toString(day) AS day, toString(sku) AS sku, returns, round(net_cost, 6) AS net, round(recovery, 6) AS rec, round(baseline_net_cost, 6) AS base
          FROM ${from} ORDER BY day, sku`,
  tag: 'test',
})

/** Runs the named whole-build statements (`*-all.sql`), as the builds did before passes. */
async function oneStatementBuild(asOf: Date, statements: string[], params: Record<string, unknown>) {
  for (const name of statements) {
    await client.command({
      query: namedQuery(name), query_params: { asOf: toChTime(asOf), ...params }, clickhouse_settings: SETTING_PROFILES.refresh,
    })
  }
}

/** Runs `run` with every statement the client is given counted by the table it inserts into. */
async function countingInserts<T>(run: () => Promise<T>): Promise<{ result: T; inserts: Map<string, number> }> {
  const inserts = new Map<string, number>()
  const command = client.command.bind(client)
  client.command = ((args: Parameters<typeof command>[0]) => {
    const into = /INSERT INTO (\w+)/.exec(args.query)?.[1]
    if (into) inserts.set(into, (inserts.get(into) ?? 0) + 1)
    return command(args)
  }) as typeof client.command
  try {
    return { result: await run(), inserts }
  } finally {
    client.command = command
  }
}

async function monthsOf(table: string): Promise<number> {
  const [{ n }] = await query<{ n: number }>(client, { query: `SELECT uniqExact(_partition_id) AS n FROM ${table}`, tag: 'test' })
  return Number(n)
}

describe('full turnaround build in passes', () => {
  it('stages one rma_id range a statement, fills one request month a statement, and gives the one-statement build\'s rows', async () => {
    const asOf = new Date()
    for (const t of ['turnaround_daily_next', 'open_returns_next']) await client.command({ query: `TRUNCATE TABLE ${t}` })
    await oneStatementBuild(asOf, ['turnaround-refresh-all', 'open-returns-refresh-all'], {})
    const expected = { turnaround: await turnaroundRows('turnaround_daily_next'), open: await openRows('open_returns_next') }
    expect(expected.turnaround.length).toBeGreaterThan(1000)
    expect(expected.open.length).toBeGreaterThan(0)

    // ≈ 12 ranges of rma_id, then one pass per request month.
    const { result: outcome, inserts } = await countingInserts(() => turnaroundJobWith({ requestsPerPass: 1_000 }).run({ client, asOf, rebuild: true }))
    expect(outcome.full).toBe(true)
    const months = await monthsOf('turnaround_daily')
    expect(months).toBeGreaterThanOrEqual(6)
    expect(inserts.get('turnaround_requests_full')).toBeGreaterThanOrEqual(10)
    expect(inserts.get('turnaround_daily_next')).toBe(months)
    expect(inserts.get('open_returns_next')).toBe(await monthsOf('open_returns'))
    expect({ turnaround: await turnaroundRows('turnaround_daily'), open: await openRows('open_returns') }).toEqual(expected)
    // The scratch of the build is emptied, and so are the twins (the old snapshot went out with them).
    const [left] = await query<{ n: number }>(client, {
      query: 'SELECT (SELECT count() FROM turnaround_requests_full) + (SELECT count() FROM turnaround_daily_next) + (SELECT count() FROM open_returns_next) AS n', tag: 'test',
    })
    expect(Number(left.n)).toBe(0)
  })
})

describe('full cost build in passes', () => {
  it('stages and fills one month a statement and gives the one-statement build\'s rows, re-decisions across month ends included', async () => {
    const asOf = new Date()
    // Some re-decisions are made in the month after the decision they supersede.
    const [{ crossing }] = await query<{ crossing: number }>(client, {
      query: `SELECT count() AS crossing FROM decisions AS r INNER JOIN decisions AS d ON d.decision_id = r.supersedes
              WHERE r.supersedes != '' AND toYYYYMM(r.decided_at) != toYYYYMM(d.decided_at)`,
      tag: 'test',
    })
    expect(Number(crossing)).toBeGreaterThan(0)
    for (const t of ['cost_daily_next', 'sku_costs_next']) await client.command({ query: `TRUNCATE TABLE ${t}` })
    await oneStatementBuild(asOf, ['cost-refresh-daily-all', 'cost-refresh-sku-all'], { all: true, months: [], since: toChTime(0) })
    const expected = { daily: await costDailyRows('cost_daily_next'), sku: await skuCostRows('sku_costs_next') }
    expect(expected.daily.length).toBeGreaterThan(1000)

    const { result: outcome, inserts } = await countingInserts(() => costRecoveryJob.run({ client, asOf, rebuild: true }))
    expect(outcome.full).toBe(true)
    const months = await monthsOf('cost_daily')
    expect(months).toBeGreaterThanOrEqual(6)
    expect([inserts.get('cost_decisions_next'), inserts.get('cost_daily_next'), inserts.get('sku_costs_next')]).toEqual([months, months, months])
    expect({ daily: await costDailyRows('cost_daily'), sku: await skuCostRows('sku_costs') }).toEqual(expected)
  })
})

describe('rma_id ranges of a full turnaround build', () => {
  it('cover every id once, in about equal parts of the sample, whatever the sample', () => {
    const sample = Array.from({ length: 1000 }, (_, i) => `R${String(i).padStart(4, '0')}`)
    const ranges = keyRanges(sample, 4)
    expect(ranges).toEqual([['', 'R0250'], ['R0250', 'R0500'], ['R0500', 'R0750'], ['R0750', '']])
    const inRange = (id: string) => ranges.filter(([from, to]) => id >= from && (to === '' || id < to)).length
    for (const id of ['', 'A', 'R0249', 'R0250', 'R0999', 'zzz', ...sample]) expect(inRange(id)).toBe(1)
    // Fewer distinct ids than parts, or none sampled: fewer ranges, still every id once.
    expect(keyRanges(['a', 'a', 'a'], 3)).toEqual([['', 'a'], ['a', '']])
    expect(keyRanges([], 5)).toEqual([['', '']])
  })
})
