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
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import type { ClickHouseClient } from '@clickhouse/client'
import { loadConfig } from '../../server/config.js'
import { createRuntime, type Runtime } from '../../server/runtime.js'
import { expandIncludes, namedQuery, toChTime } from '../../server/store/query.js'
import { ALL_JOBS } from '../../pipelines/jobs.js'
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
 * decisions, spread over the `days` before nowMs.
 */
export async function generate(client: ClickHouseClient, nowMs: number, fromReturn: number, toReturn: number, days = DAYS) {
  const chunk = 1_000_000
  const span = days * 86_400_000
  for (let start = fromReturn; start < toReturn; start += chunk) {
    const end = Math.min(toReturn, start + chunk)
    const params = { nowMs, span, start, n: end - start, skus: SKUS }
    const run = (q: string) => client.command({ query: q, query_params: params, clickhouse_settings: HEAVY })
    // Popular SKUs sell more: index = skus × u², u uniform.
    await run(`INSERT INTO order_lines
      SELECT concat('o', toString(number)), concat('o', toString(intDiv(number, 3))), concat('c', toString(number % 500000)), 'eu',
             toUInt16(number % 3), concat('SKU-', toString(toUInt32({skus:UInt32} * pow((cityHash64(number, 1) % 1000000) / 1000000, 2)))),
             toUInt32(1 + cityHash64(number, 2) % 2), 10 + (cityHash64(number, 3) % 20000) / 100,
             fromUnixTimestamp64Milli(toInt64({nowMs:Int64} - cityHash64(number, 4) % {span:UInt64}), 'UTC')
      FROM numbers({start:UInt64} * 10, {n:UInt64} * 10)`)
    await run(`INSERT INTO return_lines (event_id, rma_id, order_id, customer_id, channel, line_index, sku, qty, unit_price, reason, condition, wants, occurred_at)
      SELECT concat('r', toString(number)), concat('R', toString(number)), concat('o', toString(number)), 'c',
             'web', 0, concat('SKU-', toString(toUInt32({skus:UInt32} * pow((cityHash64(number, 11) % 1000000) / 1000000, 2)))), 1,
             10 + (cityHash64(number, 12) % 20000) / 100,
             ['size_too_small','size_too_large','defective','damaged_in_transit','wrong_item','not_as_described','changed_mind','late_delivery','better_price','other'][1 + cityHash64(number, 13) % 10],
             'used', 'refund',
             fromUnixTimestamp64Milli(toInt64({nowMs:Int64} - cityHash64(number, 14) % {span:UInt64}), 'UTC')
      FROM numbers({start:UInt64}, {n:UInt64})`)
    // received, inspected, and (for 90 %) refunded: hours after the request.
    await run(`INSERT INTO return_status (event_id, rma_id, status, node_id, occurred_at)
      SELECT concat('s', toString(number), '-', toString(k)), concat('R', toString(number)),
             ['received', 'inspected', 'refunded'][k], if(k < 3, concat('WH-', toString(cityHash64(number, 21) % 6)), ''),
             fromUnixTimestamp64Milli(toInt64({nowMs:Int64} - cityHash64(number, 14) % {span:UInt64})
                 + toInt64(k * 3600000 * (12 + cityHash64(number, 22 + k) % 60)), 'UTC')
      FROM numbers({start:UInt64}, {n:UInt64})
      ARRAY JOIN arrayFilter(x -> x < 3 OR cityHash64(number, 25) % 10 != 0, [1, 2, 3]) AS k`)
    // One decision per line; a fifth are re-decided after inspection (newer decided_at).
    await run(`INSERT INTO decisions (decision_id, rma_id, line_index, sku, category, reason, supersedes, trigger, decided_at, resolution, inbound_mode,
                 receiving_node_id, disposition, net_cost, recovery, wait_hours, baseline_net_cost, baseline_wait_hours, payload)
      SELECT concat('D', toString(number), '-', toString(k)), concat('R', toString(number)), 0,
             concat('SKU-', toString(toUInt32({skus:UInt32} * pow((cityHash64(number, 11) % 1000000) / 1000000, 2)))),
             ['apparel','footwear','electronics','home','beauty'][1 + cityHash64(number, 31) % 5],
             ['size_too_small','size_too_large','defective','damaged_in_transit','wrong_item','not_as_described','changed_mind','late_delivery','better_price','other'][1 + cityHash64(number, 13) % 10],
             if(k = 0, '', concat('D', toString(number), '-0')), if(k = 0, 'requested', 'inspected'),
             fromUnixTimestamp64Milli(toInt64({nowMs:Int64} - cityHash64(number, 14) % {span:UInt64} + 60000 + k * 86400000), 'UTC'),
             ['refund','exchange','repair','store_credit','keep_it'][1 + cityHash64(number, 32 + k) % 5], 'drop_off',
             concat('WH-', toString(cityHash64(number, 21) % 6)),
             ['restock_new','open_box_refurbish','outlet_promotion','return_to_vendor','liquidate','recycle'][1 + cityHash64(number, 34 + k) % 6],
             net, 5 + (cityHash64(number, 36) % 4000) / 100, 24 + cityHash64(number, 37) % 100, net * 1.25, 120,
             concat('{"breakdown":{"logistics":', toString(round(net * 0.3, 2)), ',"handling":', toString(round(net * 0.2, 2)), ',"refund":', toString(round(net * 0.5, 2)), '}}')
      FROM (SELECT number, k, 5 + (cityHash64(number, 35 + k) % 6000) / 100 AS net
            FROM numbers({start:UInt64}, {n:UInt64}) ARRAY JOIN arrayFilter(x -> x = 0 OR cityHash64(number, 38) % 5 = 0, [0, 1]) AS k)`)
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
  const rs = await client.query({
    query: 'SELECT table, count() AS merges, sum(total_size_bytes_compressed) AS bytes, round(max(elapsed), 1) AS seconds FROM system.merges WHERE database = currentDatabase() GROUP BY table',
    format: 'JSONEachRow',
  })
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
const FLOORS = {
  turnaroundPass: `SELECT count() AS n FROM (
      SELECT toDate(requested_at) AS day, finalizeAggregation(route) AS route, status_node, count() AS requests
      FROM rma_milestones FINAL WHERE requested_at IS NOT NULL GROUP BY day, route, status_node)`,
  costPass: `SELECT count() AS n FROM (
      SELECT toDate(decided_at) AS day, sku, count() AS decisions FROM decision_facts
      WHERE {{include:cost-current-decision}} GROUP BY day, sku)`,
}

async function measureFloors(client: ClickHouseClient, runs: number) {
  const out: Record<string, Timed> = {}
  for (const [name, sql] of Object.entries(FLOORS)) {
    const text = expandIncludes(sql)
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

// The comparison: the same four questions, each engine answering the way it sensibly
// would. ClickHouse answers as the product does: from the roll-ups its materialised views
// keep at insert time (daily_sales, daily_returns, hourly_returns, category_reasons_daily) and from decision_facts
// with the current-decision filter the cost job uses. SQLite has no such views, so it
// answers from its line tables through covering indexes (which is what one would build
// for these questions). Windows are whole UTC days, the roll-ups' grain, so both answers
// are the same and the bench checks that they are. `raw` is ClickHouse asked the SQLite
// query on its own line tables, reported next to it for reference.
const COMPARISON = {
  skuReturnRates30d: {
    ch: `SELECT s.sku AS sku, sold, returned, returned / sold AS rate FROM
           (SELECT toString(sku) AS sku, sum(units) AS sold FROM daily_sales WHERE day >= toDate({since30:DateTime64(3)}) GROUP BY sku) AS s
           LEFT JOIN (SELECT toString(sku) AS sku, sum(units) AS returned FROM daily_returns WHERE day >= toDate({since30:DateTime64(3)}) GROUP BY sku) AS r USING (sku)
         WHERE sold >= 30 ORDER BY rate DESC, sku LIMIT 50`,
    raw: `SELECT s.sku AS sku, sold, returned, returned / sold AS rate FROM
           (SELECT toString(sku) AS sku, sum(qty) AS sold FROM order_lines WHERE occurred_at >= {since30:DateTime64(3)} GROUP BY sku) AS s
           LEFT JOIN (SELECT toString(sku) AS sku, sum(qty) AS returned FROM return_lines WHERE occurred_at >= {since30:DateTime64(3)} GROUP BY sku) AS r USING (sku)
         WHERE sold >= 30 ORDER BY rate DESC, sku LIMIT 50`,
    sqlite: `SELECT s.sku AS sku, sold, coalesce(returned, 0) AS returned, CAST(coalesce(returned, 0) AS REAL) / sold AS rate FROM
           (SELECT sku, sum(qty) AS sold FROM order_lines WHERE occurred_at >= @since GROUP BY sku) AS s
           LEFT JOIN (SELECT sku, sum(qty) AS returned FROM return_lines WHERE occurred_at >= @since GROUP BY sku) AS r USING (sku)
         WHERE sold >= 30 ORDER BY rate DESC, sku LIMIT 50`,
  },
  reasonsByCategory30d: {
    // ClickHouse reads the per-category roll-up the product keeps at insert time and
    // reconciles with the catalog (0029; reasons-range.sql reads it the same way); SQLite
    // joins the lines to the same sku → category table the roll-up is checked against.
    ch: `SELECT toString(category) AS category, toString(reason) AS reason, sum(units) AS units FROM category_reasons_daily
         WHERE day >= toDate({since30:DateTime64(3)}) GROUP BY category, reason HAVING units > 0 ORDER BY category, units DESC, reason`,
    // The roll-up of every (SKU, day, reason) joined to the categories, as before 0029.
    rollupJoin: `SELECT c.category AS category, toString(r.reason) AS reason, sum(r.units) AS units FROM daily_returns AS r
           INNER JOIN bench_sku_category AS c ON c.sku = r.sku
         WHERE r.day >= toDate({since30:DateTime64(3)}) GROUP BY category, reason ORDER BY category, units DESC, reason`,
    raw: `SELECT c.category AS category, toString(r.reason) AS reason, sum(r.qty) AS units FROM return_lines AS r
           INNER JOIN bench_sku_category AS c ON c.sku = r.sku
         WHERE r.occurred_at >= {since30:DateTime64(3)} GROUP BY category, reason ORDER BY category, units DESC, reason`,
    sqlite: `SELECT c.category AS category, r.reason AS reason, sum(r.qty) AS units FROM return_lines AS r
           INNER JOIN sku_category AS c ON c.sku = r.sku
         WHERE r.occurred_at >= @since GROUP BY c.category, r.reason ORDER BY c.category, units DESC, r.reason`,
  },
  costOfCurrentDecisions: {
    // A decision counts until another names it in `supersedes` (the navigator's rule).
    // ClickHouse applies the rule as the cost job does (sql/queries/cost-current-decision.sql).
    ch: `SELECT toString(category) AS category, toString(resolution) AS resolution, count() AS lines, sum(net_cost) AS net, sum(baseline_net_cost) AS baseline
         FROM decision_facts
         WHERE ${namedQuery('cost-current-decision')}
         GROUP BY category, resolution ORDER BY category, resolution`,
    raw: `SELECT tupleElement(l, 1) AS category, tupleElement(l, 2) AS resolution, count() AS lines,
                sum(tupleElement(l, 3)) AS net, sum(tupleElement(l, 4)) AS baseline
         FROM (SELECT rma_id, line_index, argMax((toString(category), toString(resolution), net_cost, baseline_net_cost), decided_at) AS l
               FROM decisions GROUP BY rma_id, line_index)
         GROUP BY category, resolution ORDER BY category, resolution`,
    // The same rule, through the index on supersedes (faster here than a window over
    // (rma_id, line_index, decided_at), which sqliteAlt times as well).
    sqlite: `SELECT category, resolution, count(*) AS lines, sum(net_cost) AS net, sum(baseline_net_cost) AS baseline
         FROM decisions WHERE decision_id NOT IN (SELECT supersedes FROM decisions WHERE supersedes != '')
         GROUP BY category, resolution ORDER BY category, resolution`,
    sqliteAlt: `SELECT category, resolution, count(*) AS lines, sum(net_cost) AS net, sum(baseline_net_cost) AS baseline
         FROM (SELECT category, resolution, net_cost, baseline_net_cost,
                      row_number() OVER (PARTITION BY rma_id, line_index ORDER BY decided_at DESC) AS rn FROM decisions)
         WHERE rn = 1 GROUP BY category, resolution ORDER BY category, resolution`,
  },
  dailyReturns90d: {
    ch: `SELECT toString(toDate(hour)) AS day, sum(lines) AS lines, sum(units) AS units FROM hourly_returns
         WHERE hour >= {since90:DateTime64(3)} GROUP BY day ORDER BY day`,
    raw: `SELECT toString(toDate(occurred_at)) AS day, count() AS lines, sum(qty) AS units FROM return_lines
         WHERE occurred_at >= {since90:DateTime64(3)} GROUP BY day ORDER BY day`,
    sqlite: `SELECT date(occurred_at / 1000, 'unixepoch') AS day, count(*) AS lines, sum(qty) AS units FROM return_lines
         WHERE occurred_at >= @since90 GROUP BY day ORDER BY day`,
  },
} as const

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
  db.exec(`
    PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -2000000;
    CREATE TABLE order_lines (sku TEXT, qty INTEGER, unit_price REAL, occurred_at INTEGER);
    CREATE TABLE return_lines (rma_id TEXT, sku TEXT, qty INTEGER, reason TEXT, occurred_at INTEGER);
    CREATE TABLE decisions (decision_id TEXT, supersedes TEXT, rma_id TEXT, line_index INTEGER, decided_at INTEGER, sku TEXT, category TEXT, resolution TEXT, net_cost REAL, baseline_net_cost REAL);
    CREATE TABLE sku_category (sku TEXT PRIMARY KEY, category TEXT);`)
  const copy = async (table: string, select: string, parts: number) => {
    const cols = (db.prepare(`SELECT * FROM ${table} LIMIT 0`).columns()).map((c) => c.name)
    const insert = db.prepare(`INSERT INTO ${table} VALUES (${cols.map(() => '?').join(', ')})`)
    const many = db.transaction((rows: unknown[][]) => { for (const r of rows) insert.run(...r) })
    for (let part = 0; part < parts; part++) {
      const rs = await client.query({ query: select, query_params: { part, parts }, format: 'JSONCompactEachRow', clickhouse_settings: HEAVY })
      many(await rs.json<unknown[]>())
    }
  }
  await copy('order_lines', `SELECT toString(sku), qty, unit_price, toUnixTimestamp64Milli(occurred_at) FROM order_lines WHERE cityHash64(event_id) % {parts:UInt32} = {part:UInt32}`, 20)
  await copy('return_lines', `SELECT rma_id, toString(sku), qty, toString(reason), toUnixTimestamp64Milli(occurred_at) FROM return_lines WHERE cityHash64(rma_id) % {parts:UInt32} = {part:UInt32}`, 4)
  await copy('decisions', `SELECT decision_id, supersedes, rma_id, line_index, toUnixTimestamp64Milli(decided_at), toString(sku), toString(category), toString(resolution), net_cost, baseline_net_cost FROM decisions FINAL WHERE cityHash64(rma_id) % {parts:UInt32} = {part:UInt32}`, 4)
  await copy('sku_category', 'SELECT sku, category FROM bench_sku_category WHERE cityHash64(sku) % {parts:UInt32} = {part:UInt32}', 1)
  // Covering indexes: each question is answered from an index alone.
  db.exec(`CREATE INDEX order_lines_time ON order_lines (occurred_at, sku, qty);
    CREATE INDEX return_lines_time ON return_lines (occurred_at, sku, qty, reason);
    CREATE INDEX decisions_line ON decisions (rma_id, line_index, decided_at);
    CREATE INDEX decisions_supersedes ON decisions (supersedes);
    CREATE INDEX decisions_current ON decisions (decision_id, category, resolution, net_cost, baseline_net_cost);
    ANALYZE;`)
}

async function compareWithSqlite(client: ClickHouseClient, nowMs: number, runs: number, dir: string) {
  // The product's categories: the catalog's latest category per SKU.
  await client.command({ query: `CREATE TABLE IF NOT EXISTS bench_sku_category ENGINE = MergeTree ORDER BY sku AS
    SELECT toString(sku) AS sku, argMax(toString(category), updated_at) AS category FROM catalog GROUP BY sku` })
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
  for (const [name, q] of Object.entries(COMPARISON)) {
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
    if ('rollupJoin' in q) {
      assertSameRows(`${name} (roll-up join)`, await ask(q.rollupJoin), liteRows)
      out[name].clickhouseRollupJoinP50Ms = (await timed(runs, () => ask(q.rollupJoin))).p50Ms
    }
    if ('sqliteAlt' in q) {
      const alt = db.prepare(q.sqliteAlt)
      assertSameRows(`${name} (sqlite alternative)`, chRows, alt.all() as Record<string, unknown>[])
      out[name].sqliteAltP50Ms = (await timed(Math.min(runs, 3), async () => { alt.all() })).p50Ms
    }
    log(`compare ${name}: clickhouse ${ch.p50Ms} ms (raw lines ${raw.p50Ms} ms${out[name].clickhouseRollupJoinP50Ms === undefined ? '' : `, roll-up join ${out[name].clickhouseRollupJoinP50Ms} ms`}), sqlite ${lite.p50Ms} ms → ×${out[name].ratio}, ${chRows.length} rows, same answers`)
  }
  db.close()
  return out
}

async function counts(client: ClickHouseClient) {
  const rs = await client.query({
    query: `SELECT (SELECT count() FROM order_lines) AS orderLines, (SELECT count() FROM return_lines) AS returnLines,
                   (SELECT count() FROM return_status) AS statuses, (SELECT count() FROM decisions) AS decisions`,
    format: 'JSONEachRow',
  })
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
    await client.command({ query: `INSERT INTO catalog (sku, name, category, product_type, price, weight_kg, repairable, vendor_id, lifecycle, returnable, updated_at)
      SELECT concat('SKU-', toString(number)), concat('SKU-', toString(number)), ['apparel','footwear','electronics','home','beauty'][1 + number % 5],
             'generic', 50, 1, false, '', 'current', true, now64(3) FROM numbers(${SKUS})` })
    let t0 = performance.now()
    await generate(client, nowMs, 0, 1_000_000)
    result.small = { generateSeconds: round((performance.now() - t0) / 1000, 1), rows: await counts(client) }
    result.comparison = { dataset: '1M returns, 10M order lines', ...(await compareWithSqlite(client, nowMs, 5, dir)) }
    if (scale === 'small') {
      ;(result.small as Record<string, unknown>).jobs = await measureJobs(client, 4, 1_000_000)
      ;(result.small as Record<string, unknown>).api = await measureApi(runtime, 5)
      ;(result.small as Record<string, unknown>).apiDuringRebuild = await measureApiDuringRebuild(runtime, client)
    } else {
      t0 = performance.now()
      await generate(client, nowMs, 1_000_000, 10_000_000)
      result.full = { generateSeconds: round((performance.now() - t0) / 1000, 1), rows: await counts(client) }
      ;(result.full as Record<string, unknown>).jobs = await measureJobs(client, 4, 10_000_000)
      ;(result.full as Record<string, unknown>).floors = await measureFloors(client, 3)
      ;(result.full as Record<string, unknown>).api = await measureApi(runtime, 5)
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
