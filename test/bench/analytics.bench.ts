// Analytics benchmark: generates a history inside the store (INSERT … SELECT FROM
// numbers(), straight into the typed tables, so the roll-up views fire as in
// production), then measures each job's full refresh and each API query (p50), and the
// same aggregates in SQLite (better-sqlite3, indexed) on the same 1M-return data set.
// Figures only: nothing here asserts a timing.
//
//   npx tsx test/bench/analytics.bench.ts [small|full]
//   small: 1M returns, 10M order lines (+ SQLite on the same data)
//   full:  the small run, then grown to 10M returns and 100M order lines
// Both end with dashboard reads fired without pause while the turnaround and cost jobs
// rebuild in full (apiDuringRebuild: each read's latency, p50/p99/max, and the longest
// single statement of the build, which is what a read can wait for).
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import type { ClickHouseClient } from '@clickhouse/client'
import { loadConfig } from '../../server/config.js'
import { createRuntime, type Runtime } from '../../server/runtime.js'
import { namedQuery, toChTime } from '../../server/store/query.js'
import { ALL_JOBS } from '../../pipelines/jobs.js'
import { anomaliesInRange, anomalyFromRow, type Anomaly, type AnomalyRow } from '../../server/store/analytics/anomalies.js'
import { benchSql, type BenchSql } from './sql.js'
import { median, quantile, round } from './stats.js'

type Scale = 'small' | 'full'
const SKUS = 20_000
const DAYS = 365
const ADMIN = 'bench-admin-key-123'
// One generation/refresh query may use this much; the machine has 24 GiB and 2 cores.
const HEAVY = { max_memory_usage: '8000000000', max_bytes_before_external_group_by: '3000000000', max_threads: 2 }

export async function runAnalyticsBench(opts: { scale?: Scale } = {}): Promise<unknown> {
  // chDB binds one data directory per process, and `npm run bench` runs several benches
  // in one process: run in a child of our own.
  const self = fileURLToPath(import.meta.url)
  const { stdout } = await promisify(execFile)('npx', ['tsx', self, opts.scale ?? 'small'], { maxBuffer: 64 << 20, timeout: 3 * 3600_000 })
  return JSON.parse(stdout)
}

interface Timed { p50Ms: number; runsMs: number[] }

async function timed(runs: number, fn: () => Promise<unknown>): Promise<Timed> {
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn()
    ms.push(round(performance.now() - t0, 1))
  }
  return { p50Ms: round(median(ms), 1), runsMs: ms }
}

class RssSampler {
  maxMb = 0
  private timer = setInterval(() => this.sample(), 200)
  sample() { this.maxMb = Math.max(this.maxMb, process.memoryUsage().rss / 2 ** 20); return process.memoryUsage().rss / 2 ** 20 }
  stop() { clearInterval(this.timer); return round(this.maxMb, 0) }
}

const log = (msg: string) => process.stderr.write(`[analytics bench] ${msg}\n`)

/**
 * Generates [fromReturn, toReturn) returns and ×10 order lines, with statuses and
 * decisions, spread over the `days` before nowMs, over `skus` SKUs.
 */
export async function generate(client: ClickHouseClient, nowMs: number, fromReturn: number, toReturn: number, days = DAYS, skus = SKUS) {
  const chunk = 1_000_000
  const span = days * 86_400_000
  for (let start = fromReturn; start < toReturn; start += chunk) {
    const end = Math.min(toReturn, start + chunk)
    const params = { nowMs, span, start, n: end - start, skus }
    const run = (name: BenchSql) => client.command({ query: benchSql(name), query_params: params, clickhouse_settings: HEAVY })
    await run('generate-order-lines')
    await run('generate-return-lines')
    await run('generate-return-status')
    await run('generate-decisions')
    log(`generated returns ${end.toLocaleString('en')} / ${toReturn.toLocaleString('en')}, rss ${round(process.memoryUsage().rss / 2 ** 20, 0)} MB`)
  }
}

// A year of days ending today, as the dashboard's custom range asks for it: read live
// from the daily roll-ups, so its cost is what a merchant looking at their history pays.
const YEAR_AGO = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10)
const TODAY = new Date().toISOString().slice(0, 10)
const YEAR = `from=${YEAR_AGO}&to=${TODAY}`

const API_QUERIES = [
  '/api/v1/kpis',
  `/api/v1/kpis?${YEAR}`,
  '/api/v1/kpis?window=all',
  `/api/v1/skus?${YEAR}&sort=returnRate&limit=50`,
  '/api/v1/skus/SKU-17?window=all',
  `/api/v1/reasons?${YEAR}`,
  `/api/v1/anomalies?${YEAR}`,
  `/api/v1/flows?${YEAR}`,
  '/api/v1/skus?window=all&sort=returnRate&limit=50',
  '/api/v1/anomalies?window=all',
  '/api/v1/skus?window=30d&sort=returnRate&limit=50',
  '/api/v1/skus?window=90d&sort=netCost&category=apparel&limit=50',
  '/api/v1/skus/SKU-17?window=30d',
  '/api/v1/reasons?window=30d',
  '/api/v1/turnaround?window=30d',
  '/api/v1/anomalies',
  '/api/v1/flows?window=30d',
]

// Between a job's runs, the day's new activity arrives: TRICKLE returns requested over the
// last day, with their statuses and decisions (not timed). The first run of each job is
// then a full build (its output is empty: what a first start, or a change of the job's
// rules, costs once) and the later ones are what a scheduled tick does. p50Ms is over all
// runs as before; firstBuildMs and scheduledP50Ms split them. The first build runs right
// after the bulk load, while the store still merges its parts; an incremental job
// (its scheduled runs are not full builds) is then rebuilt REBUILDS more times, as an
// operator's ?rebuild=true does, and fullBuildP50Ms is the median of all its full builds.
const TRICKLE = 20_000
const REBUILDS = 2

async function mergesRunning(client: ClickHouseClient): Promise<string> {
  const rs = await client.query({ query: benchSql('merges-running'), format: 'JSONEachRow' })
  const rows = await rs.json<{ table: string; merges: number; bytes: number; seconds: number }>()
  return rows.map((r) => `${r.table} ×${r.merges} (${round(Number(r.bytes) / 2 ** 20, 0)} MB, ${r.seconds} s in)`).join(', ')
}

async function measureJobs(client: ClickHouseClient, runs: number, generated: number) {
  const out: Record<string, Timed & { rows: number; firstBuildMs: number; scheduledP50Ms: number; fullBuildsMs: number[]; fullBuildP50Ms: number }> = {}
  let next = generated
  for (const job of ALL_JOBS) {
    let rows = 0
    const ms: number[] = []
    const fullMs: number[] = []
    let incremental = false
    // The store's own merges share the two cores with a job: each run says which were running.
    for (let i = 0; i < runs; i++) {
      if (i > 0) { await generate(client, Date.now(), next, next + TRICKLE, 1); next += TRICKLE }
      const merging = await mergesRunning(client)
      const t0 = performance.now()
      const outcome = await job.run({ client, asOf: new Date() })
      ms.push(round(performance.now() - t0, 1))
      rows = outcome.rows
      log(`job ${job.name}: run ${ms[i]} ms${outcome.full === false ? '' : ' (full)'}; merges at its start: ${merging || 'none'}; at its end: ${(await mergesRunning(client)) || 'none'}`)
      if (outcome.full === false) incremental = true
      else fullMs.push(ms[i])
    }
    for (let i = 0; incremental && i < REBUILDS; i++) {
      const merging = await mergesRunning(client)
      const t0 = performance.now()
      await job.run({ client, asOf: new Date(), rebuild: true })
      fullMs.push(round(performance.now() - t0, 1))
      log(`job ${job.name}: rebuild ${fullMs.at(-1)} ms; merges at its start: ${merging || 'none'}; at its end: ${(await mergesRunning(client)) || 'none'}`)
    }
    const t = {
      p50Ms: round(median(ms), 1), runsMs: ms, firstBuildMs: ms[0], scheduledP50Ms: round(median(ms.slice(1)), 1),
      fullBuildsMs: fullMs, fullBuildP50Ms: round(median(fullMs), 1),
    }
    out[job.name] = { ...t, rows }
    log(`job ${job.name}: full build ${t.firstBuildMs} ms after load, full builds p50 ${t.fullBuildP50Ms} ms (${fullMs.join(' / ')}), scheduled p50 ${t.scheduledP50Ms} ms, runs ${ms.join(' / ')} (${rows} rows)`)
  }
  return out
}

// The least work an exact full build of turnaround or cost can do on this store, timed
// next to the builds: one pass over every request's merged milestones (FINAL) grouped
// by day and route, and one pass over the current decisions grouped by day and SKU,
// each counting rows only (no percentile sketch, no money, nothing written). A full
// build does these passes and its aggregates on top, so a build's time against its
// floor says how much of it the pass itself is.
const FLOORS: Record<string, BenchSql> = { turnaroundPass: 'floor-turnaround-pass', costPass: 'floor-cost-pass' }

async function measureFloors(client: ClickHouseClient, runs: number) {
  const out: Record<string, Timed> = {}
  for (const [name, file] of Object.entries(FLOORS)) {
    const text = benchSql(file)
    out[name] = await timed(runs, async () => {
      const rs = await client.query({ query: text, query_params: { since: toChTime(0), asOf: toChTime(new Date()) }, format: 'JSONEachRow', clickhouse_settings: HEAVY })
      await rs.json()
    })
    log(`floor ${name}: p50 ${out[name].p50Ms} ms (${out[name].runsMs.join(' / ')})`)
  }
  return out
}

// The dashboard reads fired during a rebuild, READERS at a time, each reader taking the
// next URL as soon as its previous read answered.
const REBUILD_READS = [
  '/api/v1/kpis',
  '/api/v1/skus?window=30d&sort=returnRate&limit=50',
  '/api/v1/skus/SKU-17?window=30d',
  '/api/v1/turnaround?window=30d',
]
const READERS = 2

async function measureApiDuringRebuild(runtime: Runtime, client: ClickHouseClient) {
  const out: Record<string, { rebuildMs: number; statements: number; longestStatementMs: number; reads: number; p50Ms: number; p99Ms: number; maxMs: number }> = {}
  for (const job of ALL_JOBS.filter((j) => j.name === 'turnaround' || j.name === 'cost-recovery')) {
    // Each statement of the build timed: the longest is the longest a read can queue behind it.
    const statementMs: number[] = []
    const command = client.command.bind(client)
    client.command = (async (...args: Parameters<typeof command>) => {
      const t0 = performance.now()
      try { return await command(...args) } finally { statementMs.push(performance.now() - t0) }
    }) as typeof client.command
    const latencies: number[] = []
    let done = false
    const reader = async (offset: number) => {
      for (let i = offset; !done; i++) {
        const url = REBUILD_READS[i % REBUILD_READS.length]
        const t0 = performance.now()
        const res = await runtime.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN}` } })
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode} during a rebuild: ${res.body.slice(0, 300)}`)
        latencies.push(performance.now() - t0)
      }
    }
    const t0 = performance.now()
    const build = job.run({ client, asOf: new Date(), rebuild: true }).finally(() => { done = true })
    try {
      await Promise.all([build, ...Array.from({ length: READERS }, (_, r) => reader(r))])
    } finally {
      client.command = command
    }
    const sorted = latencies.sort((a, b) => a - b)
    out[job.name] = {
      rebuildMs: round(performance.now() - t0, 1), statements: statementMs.length, longestStatementMs: round(Math.max(...statementMs), 1),
      reads: sorted.length, p50Ms: round(quantile(sorted, 0.5), 1), p99Ms: round(quantile(sorted, 0.99), 1), maxMs: round(sorted.at(-1) ?? NaN, 1),
    }
    const o = out[job.name]
    log(`api during a ${job.name} rebuild (${o.rebuildMs} ms, ${o.statements} statements, longest ${o.longestStatementMs} ms): ${o.reads} reads, p50 ${o.p50Ms} ms, p99 ${o.p99Ms} ms, max ${o.maxMs} ms`)
  }
  return out
}

async function measureApi(runtime: Runtime, runs: number) {
  const out: Record<string, Timed> = {}
  // The jobs' runs just before leave merges of their trickles, which run in this process.
  log(`api: merges at its start: ${(await mergesRunning(runtime.ctx.store.client)) || 'none'}`)
  for (const url of API_QUERIES) {
    const inject = async () => {
      const res = await runtime.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN}` } })
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
    }
    await inject() // warm the query cache of parsed SQL, not the result
    out[url] = await timed(runs, inject)
    log(`api ${url}: p50 ${out[url].p50Ms} ms`)
  }
  return out
}

// The SKU list and the anomalies of a period, as the API asks them, read the way the
// product does (sql/queries: months from sku_months, days at the ends; the anomalies as
// anomalies.ts reads them, the page's top reasons in a second query) and the way it
// did before (sql/bench/period-*-days.sql: every day from the daily roll-ups), runs
// alternating, each timed by wall clock and by the process's CPU time (chDB runs in
// this process, so that is the read's CPU on every thread, and moves less than the wall
// clock when other processes share the cores). The two must give the same rows. A third
// way, in the same rotation, is the same request through the API (app.inject, the same
// page), so what the API adds to the read is measured under the same conditions.
const PERIODS: Record<string, { from: string; to: string }> = {
  year: { from: YEAR_AGO, to: TODAY },
  allTime: { from: new Date(Date.now() - DAYS * 86_400_000).toISOString().slice(0, 10), to: TODAY },
}
type Rows = Record<string, unknown>[]
const SKU_READ = { sort: 'return_rate', desc: true, category: '', sku: '', minVolume: 30, limit: 50, offset: 0, win: '30d' }
const ANOMALY_PAGE = { kind: '', category: '', sku: '', limit: 50, offset: 0 }
const ANOMALY_RULES = { minVolume: 100, minVolume7: 30, z: 3.09, spikeFactor: 2 }
const PERIOD_READS: Record<string, {
  product: (c: ClickHouseClient, days: { from: string; to: string }) => Promise<Rows>
  days: (c: ClickHouseClient, days: { from: string; to: string }) => Promise<Rows>
  url: (days: { from: string; to: string }) => string
}> = {
  skus: {
    product: (c, days) => ask(c, namedQuery('skus-range'), { ...SKU_READ, ...days }),
    days: (c, days) => ask(c, benchSql('period-skus-days'), { ...SKU_READ, ...days }),
    url: (days) => `/api/v1/skus?from=${days.from}&to=${days.to}&sort=returnRate&limit=${SKU_READ.limit}&minVolume=${SKU_READ.minVolume}`,
  },
  anomalies: {
    url: (days) => `/api/v1/anomalies?from=${days.from}&to=${days.to}&limit=${ANOMALY_PAGE.limit}`,
    product: async (c, days) => (await anomaliesInRange(c, days, ANOMALY_PAGE, ANOMALY_RULES)).items.map(anomalyRow),
    days: async (c, days) => (await ask(c, benchSql('period-anomalies-days'), { ...ANOMALY_PAGE, ...ANOMALY_RULES, ...days }))
      .map((r) => anomalyRow(anomalyFromRow(r as unknown as AnomalyRow))),
  },
}
const ask = async (c: ClickHouseClient, sql: string, params: Record<string, unknown>) =>
  (await c.query({ query: sql, query_params: params, format: 'JSONEachRow' })).json<Record<string, unknown>>()
/** An anomaly in the API's shape, its evidence as text, to compare value by value. */
const anomalyRow = (a: Anomaly) => ({ ...a, evidence: JSON.stringify(a.evidence) }) as Record<string, unknown>

async function measurePeriodReads(runtime: Runtime, runs: number) {
  const client = runtime.ctx.store.client
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  const out: Record<string, unknown> = { loadBefore: load() }
  for (const [period, days] of Object.entries(PERIODS)) {
    for (const [name, read] of Object.entries(PERIOD_READS)) {
      assertSameRows(`${name} of ${period}`, await read.product(client, days), await read.days(client, days))
      const api = async () => {
        const res = await runtime.app.inject({ method: 'GET', url: read.url(days), headers: { authorization: `Bearer ${ADMIN}` } })
        if (res.statusCode !== 200) throw new Error(`${read.url(days)} answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
      }
      const ways = { days: () => read.days(client, days), product: () => read.product(client, days), api }
      const ms = { product: [] as number[], days: [] as number[], api: [] as number[] }
      const cpu = { product: [] as number[], days: [] as number[], api: [] as number[] }
      for (let i = 0; i < runs; i++) {
        for (const way of ['days', 'product', 'api'] as const) {
          const c0 = process.cpuUsage(), t0 = performance.now()
          await ways[way]()
          ms[way].push(performance.now() - t0)
          const c = process.cpuUsage(c0)
          cpu[way].push((c.user + c.system) / 1000)
        }
      }
      const r = {
        productP50Ms: round(median(ms.product), 1), productCpuP50Ms: round(median(cpu.product), 1),
        daysP50Ms: round(median(ms.days), 1), daysCpuP50Ms: round(median(cpu.days), 1),
        apiP50Ms: round(median(ms.api), 1), apiCpuP50Ms: round(median(cpu.api), 1),
      }
      out[`${name}:${period}`] = r
      log(`period ${name} of ${period}: months+days ${r.productP50Ms} ms (cpu ${r.productCpuP50Ms} ms), every day ${r.daysP50Ms} ms (cpu ${r.daysCpuP50Ms} ms), same rows; through the API ${r.apiP50Ms} ms (cpu ${r.apiCpuP50Ms} ms)`)
    }
  }
  out.loadAfter = load()
  return out
}

// The comparison: the same four questions, each engine answering the way it sensibly
// would. ClickHouse answers as the product does: from the roll-ups its materialised views
// keep at insert time (daily_sales, daily_returns, hourly_returns, category_reasons_daily) and from decision_facts
// with the current-decision filter the cost job uses. SQLite has no such views, so it
// answers from its line tables through covering indexes (which is what one would build
// for these questions). Windows are whole UTC days, the roll-ups' grain, so both answers
// are the same and the bench checks that they are. `raw` is ClickHouse asked the SQLite
// query on its own line tables, reported next to it for reference.
// Each question's statements are sql/bench/compare-<question>-<engine>.sql.
interface Question { ch: BenchSql; raw: BenchSql; sqlite: BenchSql; rollupJoin?: BenchSql; sqliteAlt?: BenchSql }
const COMPARISON: Record<string, Question> = {
  skuReturnRates30d: { ch: 'compare-sku-rates-30d-ch', raw: 'compare-sku-rates-30d-raw', sqlite: 'compare-sku-rates-30d-sqlite' },
  // ClickHouse reads the per-category roll-up (0029); rollupJoin is the roll-up per SKU
  // joined to the categories, as before it.
  reasonsByCategory30d: {
    ch: 'compare-reasons-30d-ch', rollupJoin: 'compare-reasons-30d-rollup-join', raw: 'compare-reasons-30d-raw', sqlite: 'compare-reasons-30d-sqlite',
  },
  // The cost job's current-decision rule (included from sql/queries); sqliteAlt is the
  // same rule by a window instead of the index on supersedes.
  costOfCurrentDecisions: {
    ch: 'compare-current-cost-ch', raw: 'compare-current-cost-raw', sqlite: 'compare-current-cost-sqlite', sqliteAlt: 'compare-current-cost-sqlite-alt',
  },
  dailyReturns90d: { ch: 'compare-daily-returns-90d-ch', raw: 'compare-daily-returns-90d-raw', sqlite: 'compare-daily-returns-90d-sqlite' },
}

/** Rows as value arrays; throws unless both engines gave the same rows (floats to 1e-9 relative). */
function assertSameRows(name: string, a: Record<string, unknown>[], b: Record<string, unknown>[]) {
  const vals = (rows: Record<string, unknown>[]) => rows.map((r) => Object.values(r))
  const x = vals(a), y = vals(b)
  const same = (u: unknown, v: unknown) => {
    if (typeof u === 'number' || typeof v === 'number') {
      const p = Number(u), q = Number(v)
      return Math.abs(p - q) <= 1e-9 * Math.max(1, Math.abs(p), Math.abs(q))
    }
    return String(u) === String(v)
  }
  const bad = x.length !== y.length ? -1 : x.findIndex((row, i) => row.length !== y[i].length || row.some((u, j) => !same(u, y[i][j])))
  if (x.length === 0 || bad !== -1) {
    throw new Error(`comparison ${name}: engines disagree (${x.length} vs ${y.length} rows${bad >= 0 ? `, first difference at row ${bad}: ${JSON.stringify(x[bad])} vs ${JSON.stringify(y[bad])}` : ''})`)
  }
}

async function exportToSqlite(client: ClickHouseClient, db: Database.Database) {
  db.exec(benchSql('sqlite-schema'))
  // Each table in parts: one part of the ClickHouse rows at a time in memory.
  const copy = async (select: BenchSql, insertInto: BenchSql, parts: number) => {
    const insert = db.prepare(benchSql(insertInto))
    const many = db.transaction((rows: unknown[][]) => { for (const r of rows) insert.run(...r) })
    for (let part = 0; part < parts; part++) {
      const rs = await client.query({ query: benchSql(select), query_params: { part, parts }, format: 'JSONCompactEachRow', clickhouse_settings: HEAVY })
      many(await rs.json<unknown[]>())
    }
  }
  await copy('export-order-lines', 'sqlite-insert-order-lines', 20)
  await copy('export-return-lines', 'sqlite-insert-return-lines', 4)
  await copy('export-decisions', 'sqlite-insert-decisions', 4)
  await copy('export-sku-category', 'sqlite-insert-sku-category', 1)
  db.exec(benchSql('sqlite-indexes'))
}

async function compareWithSqlite(client: ClickHouseClient, nowMs: number, runs: number, dir: string) {
  // The product's categories: the catalog's latest category per SKU.
  await client.command({ query: benchSql('sku-category-create') })
  const db = new Database(join(dir, 'compare.sqlite'))
  const t0 = performance.now()
  await exportToSqlite(client, db)
  log(`sqlite loaded in ${round((performance.now() - t0) / 1000, 1)} s`)
  // Whole UTC days: the last 30 (90) days including today, the roll-ups' grain.
  const today = Math.floor(nowMs / 86_400_000) * 86_400_000
  const since = today - 29 * 86_400_000, since90 = today - 89 * 86_400_000
  // The cost rule's fragment reads {since} and {asOf}: every re-decision up to now.
  const chParams = { since30: toChTime(since), since90: toChTime(since90), since: toChTime(0), asOf: toChTime(nowMs + 86_400_000) }
  const out: Record<string, { clickhouseP50Ms: number; sqliteP50Ms: number; ratio: number; rows: number; clickhouseRawP50Ms: number; sqliteAltP50Ms?: number; clickhouseRollupJoinP50Ms?: number }> = {}
  for (const [name, files] of Object.entries(COMPARISON)) {
    const q = { ch: benchSql(files.ch), raw: benchSql(files.raw), sqlite: benchSql(files.sqlite) }
    const ask = async (sql: string) => {
      const rs = await client.query({ query: sql, query_params: chParams, format: 'JSONEachRow', clickhouse_settings: HEAVY })
      return rs.json<Record<string, unknown>>()
    }
    const usesSince = q.sqlite.includes('@since90') ? { since90 } : q.sqlite.includes('@since') ? { since } : {}
    const stmt = db.prepare(q.sqlite)
    const chRows = await ask(q.ch)
    const liteRows = stmt.all(usesSince) as Record<string, unknown>[]
    assertSameRows(name, chRows, liteRows)
    assertSameRows(`${name} (raw)`, await ask(q.raw), liteRows)
    const ch = await timed(runs, () => ask(q.ch))
    const raw = await timed(Math.min(runs, 3), () => ask(q.raw))
    const lite = await timed(Math.min(runs, 3), async () => { stmt.all(usesSince) })
    out[name] = { clickhouseP50Ms: ch.p50Ms, sqliteP50Ms: lite.p50Ms, ratio: round(lite.p50Ms / ch.p50Ms, 1), rows: chRows.length, clickhouseRawP50Ms: raw.p50Ms }
    if (files.rollupJoin) {
      const rollupJoin = benchSql(files.rollupJoin)
      assertSameRows(`${name} (roll-up join)`, await ask(rollupJoin), liteRows)
      out[name].clickhouseRollupJoinP50Ms = (await timed(runs, () => ask(rollupJoin))).p50Ms
    }
    if (files.sqliteAlt) {
      const alt = db.prepare(benchSql(files.sqliteAlt))
      assertSameRows(`${name} (sqlite alternative)`, chRows, alt.all() as Record<string, unknown>[])
      out[name].sqliteAltP50Ms = (await timed(Math.min(runs, 3), async () => { alt.all() })).p50Ms
    }
    log(`compare ${name}: clickhouse ${ch.p50Ms} ms (raw lines ${raw.p50Ms} ms${out[name].clickhouseRollupJoinP50Ms === undefined ? '' : `, roll-up join ${out[name].clickhouseRollupJoinP50Ms} ms`}), sqlite ${lite.p50Ms} ms → ×${out[name].ratio}, ${chRows.length} rows, same answers`)
  }
  db.close()
  return out
}

async function counts(client: ClickHouseClient) {
  const rs = await client.query({ query: benchSql('counts'), format: 'JSONEachRow' })
  return (await rs.json<Record<string, number>>())[0]
}

async function benchInProcess(scale: Scale) {
  const dir = mkdtempSync(join(tmpdir(), 'revnav-analytics-bench-'))
  const rss = new RssSampler()
  const runtime = await createRuntime(loadConfig({ DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', DEMO: '0', PIPELINES: '0', API_KEYS: `admin:${ADMIN}` }), { navigator: false })
  const client = runtime.ctx.store.client
  const nowMs = Date.now()
  const result: Record<string, unknown> = { scale, machine: { cores: (await import('node:os')).cpus().length, memGiB: round((await import('node:os')).totalmem() / 2 ** 30, 0) } }
  try {
    await client.command({ query: benchSql('generate-catalog'), query_params: { skus: SKUS } })
    let t0 = performance.now()
    await generate(client, nowMs, 0, 1_000_000)
    result.small = { generateSeconds: round((performance.now() - t0) / 1000, 1), rows: await counts(client) }
    result.comparison = { dataset: '1M returns, 10M order lines', ...(await compareWithSqlite(client, nowMs, 5, dir)) }
    if (scale === 'small') {
      ;(result.small as Record<string, unknown>).jobs = await measureJobs(client, 4, 1_000_000)
      ;(result.small as Record<string, unknown>).api = await measureApi(runtime, 5)
      ;(result.small as Record<string, unknown>).periodReads = await measurePeriodReads(runtime, 7)
      ;(result.small as Record<string, unknown>).apiDuringRebuild = await measureApiDuringRebuild(runtime, client)
    } else {
      t0 = performance.now()
      await generate(client, nowMs, 1_000_000, 10_000_000)
      result.full = { generateSeconds: round((performance.now() - t0) / 1000, 1), rows: await counts(client) }
      ;(result.full as Record<string, unknown>).jobs = await measureJobs(client, 4, 10_000_000)
      ;(result.full as Record<string, unknown>).floors = await measureFloors(client, 3)
      ;(result.full as Record<string, unknown>).api = await measureApi(runtime, 5)
      ;(result.full as Record<string, unknown>).periodReads = await measurePeriodReads(runtime, 5)
      ;(result.full as Record<string, unknown>).apiDuringRebuild = await measureApiDuringRebuild(runtime, client)
    }
  } finally {
    result.rssMaxMb = rss.stop()
    result.rssEndMb = round(process.memoryUsage().rss / 2 ** 20, 0)
    await runtime.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return result
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scale = (process.argv[2] ?? 'small') as Scale
  if (scale !== 'small' && scale !== 'full') { console.error('usage: analytics.bench.ts [small|full]'); process.exit(2) }
  benchInProcess(scale).then((r) => { console.log(JSON.stringify(r, null, 2)); process.exit(0) }, (e) => { console.error(e); process.exit(1) })
}
