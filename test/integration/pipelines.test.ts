// Analytics pipelines and API against a real embedded ClickHouse, on a generated
// history whose answers are known exactly (analytics-history.ts).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { analyticsRoutes } from '../../server/http/routes/analytics.js'
import type { LiveMessage } from '../../server/live/hub.js'
import { createRuntime, type Runtime } from '../../server/runtime.js'
import { query } from '../../server/store/query.js'
import { decisionRow } from '../../server/store/rows.js'
import { schedulerFor, type PipelineScheduler } from '../../pipelines/scheduler.js'
import { dayAgo, decisionFor, generateHistory, stageHours, statusEvents, type GeneratedReturn } from './analytics-history.js'

const ADMIN = 'test-admin-key-123'
const VIEWER = 'test-viewer-key-1'

let dir: string
let runtime: Runtime
let scheduler: PipelineScheduler
let returns: GeneratedReturn[]
let xReturns: GeneratedReturn[]
const messages: LiveMessage[] = []
const today = new Date()

async function get(url: string, key = VIEWER) {
  const res = await runtime.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } })
  return { status: res.statusCode, body: res.json() }
}

async function send(events: unknown[]) {
  for (let i = 0; i < events.length; i += 2000) {
    const res = await runtime.app.inject({
      method: 'POST', url: '/api/v1/events',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/x-ndjson' },
      payload: events.slice(i, i + 2000).map((e) => JSON.stringify(e)).join('\n'),
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().rejected).toBe(0)
  }
}

/** Exact quantile with linear interpolation between order statistics. */
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-pipelines-'))
  runtime = await createRuntime(loadConfig({
    DATA_DIR: dir, PORT: '0', LOG_LEVEL: process.env.TEST_LOG ?? 'silent', DEMO: '0', PIPELINES: '0',
    API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`,
  }), { routes: [analyticsRoutes] })
  runtime.ctx.live.onMessage((m) => messages.push(m))
  scheduler = schedulerFor(runtime.ctx)

  const history = generateHistory(today)
  returns = history.returns
  xReturns = returns.filter((r) => r.sku === 'SKU-X')
  await send(history.events)
  // SKU-X returns go through receiving, inspection and refund; the first ten were routed
  // to WH-A by a decision, the rest are known by the node of their status events.
  await send(xReturns.flatMap((r, i) => statusEvents(r, i, i < 10 ? 'WH-A' : 'WH-B')))
  const decisions = xReturns.slice(0, 10).map((r, i) => decisionFor(r, {
    id: `d-${i}`, decidedAt: new Date(r.requestedAt.getTime() + 60_000), netCost: 10 + i, baselineNetCost: 30 + i, recovery: 5,
  }))
  // Two lines were re-decided after inspection: only the current decision may count.
  decisions.push(...xReturns.slice(0, 2).map((r, i) => decisionFor(r, {
    id: `d-re-${i}`, supersedes: `d-${i}`, decidedAt: new Date(r.requestedAt.getTime() + 3_600_000), netCost: 100, baselineNetCost: 30 + i, recovery: 40,
    disposition: 'open_box_refurbish',
  })))
  await runtime.ctx.store.client.insert({
    table: 'decisions', format: 'JSONEachRow',
    values: decisions.map((decision) => decisionRow({ decision, category: 'apparel', reason: xReturns.find((r) => r.rmaId === decision.rmaId)!.reason })),
  })
  for (const job of scheduler.jobNames) {
    const run = await scheduler.runNow(job)
    expect(run, `${job}: ${run.error}`).toMatchObject({ status: 'ok' })
  }
}, 180_000)

afterAll(async () => {
  await runtime?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('return rates', () => {
  it('computes 1,000 sold and 37 returned → 3.7 % for SKU-X, with its top reasons', async () => {
    const { status, body } = await get('/api/v1/skus?window=30d&category=apparel&sort=unitsSold&order=asc&limit=500')
    expect(status).toBe(200)
    const x = body.items.find((i: { sku: string }) => i.sku === 'SKU-X')
    expect(x).toMatchObject({ sku: 'SKU-X', category: 'apparel', unitsSold: 1000, unitsReturned: 37, returnRate: 0.037, anomaly: null })
    expect(x.topReasons.map((r: { reason: string; units: number }) => [r.reason, r.units])).toEqual([['size_too_small', 20], ['defective', 10], ['changed_mind', 7]])
    expect(body.items.every((i: { category: string }) => i.category === 'apparel')).toBe(true)
    const sold = body.items.map((i: { unitsSold: number }) => i.unitsSold)
    expect(sold).toEqual([...sold].sort((a: number, b: number) => a - b))
  })

  it('leaves SKUs under the minimum volume out unless asked, and pages with a total', async () => {
    const defaults = await get('/api/v1/skus?window=all')
    expect(defaults.body.items.map((i: { sku: string }) => i.sku)).not.toContain('SKU-TINY')
    const all = await get('/api/v1/skus?window=all&minVolume=0&sort=returnRate&order=desc&limit=2&offset=0')
    expect(all.body.total).toBe(7)
    expect(all.body.items.map((i: { sku: string; returnRate: number }) => [i.sku, i.returnRate])).toEqual([['SKU-TINY', 1], ['SKU-HIGH', 0.12]])
    const past = await get('/api/v1/skus?window=all&minVolume=0&offset=100')
    expect(past.body).toEqual({ items: [], total: 7 })
  })

  it('computes an explicit from/to range live from the daily roll-ups', async () => {
    const day = (ago: number) => new Date(today.getTime() - ago * 86_400_000).toISOString().slice(0, 10)
    const { body } = await get(`/api/v1/skus?from=${day(25)}&to=${day(1)}&minVolume=0&limit=500`)
    expect(body.items.find((i: { sku: string }) => i.sku === 'SKU-X')).toMatchObject({ unitsSold: 1000, unitsReturned: 37, returnRate: 0.037 })
  })

  it.each([
    ['sort=popularity', 'sort'],
    ['limit=501', 'limit'],
    ['window=14d', 'window'],
    ['minVolume=-1', 'minVolume'],
    ['from=yesterday', 'from'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the parameter for %s', async (qs, name) => {
    const { status, body } = await get(`/api/v1/skus?${qs}`)
    expect(status).toBe(400)
    expect(body.error).toBe('bad_request')
    expect(body.issues.map((i: { path: string }) => i.path)).toContain(name)
    expect(body.message).toContain(name)
  })

  it('needs a key', async () => {
    const res = await runtime.app.inject({ method: 'GET', url: '/api/v1/skus' })
    expect(res.statusCode).toBe(401)
  })
})

describe('anomalies', () => {
  it('flags the spike SKU (against its own baseline) and the high SKU (against its category), and no normal SKU', async () => {
    const { body } = await get('/api/v1/anomalies')
    const found = body.items.map((a: { sku: string; kind: string }) => `${a.sku}:${a.kind}`).sort()
    expect(found).toEqual(['SKU-HIGH:above_category', 'SKU-SPIKE:spike'])
    const spike = body.items.find((a: { sku: string }) => a.sku === 'SKU-SPIKE')
    expect(spike).toMatchObject({ active: true, unitsSold: 210, unitsReturned: 30, referenceRate: 0.02 })
    expect(spike.evidence).toMatchObject({ window: '7d', unitsSold: 210, unitsReturned: 30, reference: 'own_previous_30d', referenceRate: 0.02 })
    expect(spike.evidence.topReasons).toEqual([{ reason: 'other', units: 20 }, { reason: 'damaged_in_transit', units: 10 }])
    expect(spike.wilsonLow).toBeGreaterThan(0.02)
  })

  it('pushed one alert per new episode, with its evidence, and none when the episodes continue', async () => {
    const alerts = messages.filter((m) => m.room === 'alerts').map((m) => m.item as { sku: string; evidence: object })
    expect(alerts.map((a) => a.sku).sort()).toEqual(['SKU-HIGH', 'SKU-SPIKE'])
    expect(alerts[0].evidence).toHaveProperty('topReasons')
    const before = messages.length
    await scheduler.runNow('anomalies')
    expect(messages.slice(before).filter((m) => m.room === 'alerts')).toEqual([])
    const { body } = await get('/api/v1/anomalies?state=all')
    expect(body.total).toBe(2)
  })

  it('marks the SKU in the list', async () => {
    const { body } = await get('/api/v1/skus?window=30d&sort=anomaly&limit=2')
    expect(body.items[0]).toMatchObject({ sku: 'SKU-HIGH', anomaly: { kind: 'above_category' } })
  })
})

describe('turnaround', () => {
  const made = (i: number) => { const h = stageHours(i); return h.toReceived + h.toInspected + h.toRefunded }

  it('matches percentiles computed here, overall and per warehouse', async () => {
    const { status, body } = await get('/api/v1/turnaround?window=30d')
    expect(status).toBe(200)
    const all = xReturns.map((_, i) => made(i))
    const stage = body.stages.find((s: { stage: string }) => s.stage === 'request_to_made_whole')
    expect(stage.n).toBe(37)
    // t-digest interpolates between centroids; on 37 distinct values it lands within an hour.
    expect(Math.abs(stage.p50Hours - quantile(all, 0.5))).toBeLessThanOrEqual(1)
    expect(Math.abs(stage.p90Hours - quantile(all, 0.9))).toBeLessThanOrEqual(1.5)
    expect(stage.avgHours).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length, 1)
    const received = body.stages.find((s: { stage: string }) => s.stage === 'request_to_received')
    expect(Math.abs(received.p50Hours - quantile(xReturns.map((_, i) => stageHours(i).toReceived), 0.5))).toBeLessThanOrEqual(1)
    const wh = Object.fromEntries(body.byWarehouse.filter((w: { stage: string }) => w.stage === 'request_to_made_whole').map((w: { receivingNodeId: string; n: number; p50Hours: number }) => [w.receivingNodeId, w]))
    expect(wh['WH-A'].n).toBe(10)
    expect(wh['WH-B'].n).toBe(27)
    expect(Math.abs(wh['WH-A'].p50Hours - quantile(xReturns.slice(0, 10).map((_, i) => made(i)), 0.5))).toBeLessThanOrEqual(1)
  })
})

describe('cost, KPIs and flows', () => {
  it('counts the latest decision per line only', async () => {
    const { body } = await get('/api/v1/kpis')
    // Ten lines: net 10..19, except lines 0 and 1 re-decided at 100 each.
    const net = 100 + 100 + [12, 13, 14, 15, 16, 17, 18, 19].reduce((a, b) => a + b, 0)
    const baseline = [30, 31, 32, 33, 34, 35, 36, 37, 38, 39].reduce((a, b) => a + b, 0)
    expect(body.cost).toMatchObject({ returns: 10, netCost: net, baselineNetCost: baseline, savings: baseline - net, logistics: 50, handling: 40, refunds: 500 })
    expect(body.cost.costPerReturn).toBeCloseTo(net / 10, 2)
    expect(body.cost.recovery).toBe(2 * 40 + 8 * 5)
  })

  it('reports today, open returns, turnaround and return rates', async () => {
    const { body } = await get('/api/v1/kpis')
    const totalRmas = returns.length
    expect(body.openReturns.total).toBe(totalRmas - 37)
    expect(body.openReturns.byStatus).toEqual([{ status: 'requested', returns: totalRmas - 37, oldestAt: expect.any(String) }])
    expect(body.turnaround.n).toBe(37)
    expect(body.perHour).toHaveLength(24)
    expect(body.series).toHaveLength(30)
    expect(body.series.reduce((n: number, d: { unitsSold: number }) => n + d.unitsSold, 0)).toBe(body.returnRate.unitsSold)
    const apparel = body.returnRate.byCategory.find((c: { category: string }) => c.category === 'apparel')
    expect(apparel.unitsSold).toBeGreaterThan(0)
  })

  it('says as of when the scheduled figures were computed: the oldest last good run of their jobs', async () => {
    const { body } = await get('/api/v1/kpis')
    const jobs = (await get('/api/v1/pipelines')).body.jobs as { job: string; recentRuns: { status: string; startedAt: string }[] }[]
    const lastGood = ['turnaround', 'cost-recovery', 'return-rates']
      .map((name) => jobs.find((j) => j.job === name)!.recentRuns.find((r) => r.status === 'ok')!.startedAt)
    expect(body.snapshotsAsOf).toBe([...lastGood].sort()[0])
    expect(Date.parse(body.snapshotsAsOf)).toBeLessThanOrEqual(Date.parse(body.asOf))
  })

  it('builds reason → resolution → disposition flows with prefixed node names', async () => {
    const { body } = await get('/api/v1/flows?window=30d')
    const names = body.nodes.map((n: { name: string }) => n.name)
    expect(names).toEqual(expect.arrayContaining(['reason:size_too_small', 'resolution:refund', 'disposition:restock_new', 'disposition:open_box_refurbish']))
    const toRefund = body.links.filter((l: { target: string }) => l.target === 'resolution:refund').reduce((n: number, l: { value: number }) => n + l.value, 0)
    expect(toRefund).toBe(10)
    expect(body.links).toContainEqual({ source: 'resolution:refund', target: 'disposition:open_box_refurbish', value: 2 })
  })

  it('gives reason mixes per category and per SKU', async () => {
    const { body } = await get('/api/v1/reasons?window=30d&sku=SKU-X')
    expect(body.sku.reasons.map((r: { reason: string; units: number }) => [r.reason, r.units])).toEqual([['size_too_small', 20], ['defective', 10], ['changed_mind', 7]])
    expect(body.byCategory.map((c: { category: string }) => c.category).sort()).toEqual(['apparel', 'electronics'])
    const shares = body.totals.reduce((s: number, r: { share: number }) => s + r.share, 0)
    expect(shares).toBeCloseTo(1, 3)
  })

  it('details one SKU: trend vs category, reasons, dispositions, cost and recent returns with decisions', async () => {
    const { status, body } = await get('/api/v1/skus/SKU-X?window=30d&recent=50')
    expect(status).toBe(200)
    expect(body).toMatchObject({ sku: 'SKU-X', unitsSold: 1000, unitsReturned: 37, returnRate: 0.037 })
    expect(body.trend).toHaveLength(30)
    expect(body.trend.reduce((n: number, d: { unitsSold: number }) => n + d.unitsSold, 0)).toBe(1000)
    expect(body.dispositions).toEqual(expect.arrayContaining([expect.objectContaining({ disposition: 'restock_new', lines: 8 }), expect.objectContaining({ disposition: 'open_box_refurbish', lines: 2 })]))
    expect(body.cost.returns).toBe(10)
    expect(body.recentReturns).toHaveLength(37)
    const redecided = body.recentReturns.find((r: { rmaId: string }) => r.rmaId === xReturns[0].rmaId)
    expect(redecided.decision).toMatchObject({ decisionId: 'd-re-0', netCost: 100 })
    expect(redecided.status).toBe('refunded')
    expect((await get('/api/v1/skus/NOPE')).status).toBe(404)
  })

  it("shows a decision made since the cost job's last run in the SKU page's header and cost panel alike", async () => {
    const page = async () => (await get('/api/v1/skus/SKU-X?window=30d')).body
    const before = await page()
    expect(before.netCost).toBe(before.cost.netCost)
    // A third decision for a re-decided line (100 → 250), with no cost run after it.
    const late = decisionFor(xReturns[1], {
      id: 'd-late-1', supersedes: 'd-re-1', decidedAt: new Date(xReturns[1].requestedAt.getTime() + 7_200_000), netCost: 250, baselineNetCost: 31, recovery: 40,
      disposition: 'open_box_refurbish',
    })
    await runtime.ctx.store.client.insert({ table: 'decisions', format: 'JSONEachRow', values: [decisionRow({ decision: late, category: 'apparel', reason: xReturns[1].reason })] })
    const after = await page()
    expect(after.cost.netCost).toBeCloseTo(before.cost.netCost + 150, 2)
    expect(after.netCost).toBe(after.cost.netCost)
    // The list still shows the job's snapshot until its next run.
    const listed = (await get('/api/v1/skus?window=30d&category=apparel&limit=500')).body.items.find((i: { sku: string }) => i.sku === 'SKU-X')
    expect(listed.netCost).toBeCloseTo(before.cost.netCost, 2)
    // The jobs' next runs catch the list up (cost, then the SKU snapshot that reads it),
    // and leave the snapshots current for the tests after this one.
    for (const job of ['cost-recovery', 'return-rates']) {
      const run = await scheduler.runNow(job)
      expect(run, run.error).toMatchObject({ status: 'ok' })
    }
    const relisted = (await get('/api/v1/skus?window=30d&category=apparel&limit=500')).body.items.find((i: { sku: string }) => i.sku === 'SKU-X')
    expect(relisted.netCost).toBeCloseTo(after.cost.netCost, 2)
  })
})

describe('scheduler', () => {
  it('skips a tick while the previous run of the same job is going, and records both', async () => {
    const [first, second] = await Promise.all([scheduler.tick('return-rates'), scheduler.tick('return-rates')])
    expect(first.status).toBe('ok')
    expect(second.status).toBe('skipped')
    const runs = await query<{ status: string }>(runtime.ctx.store.client, {
      query: "SELECT status FROM pipeline_runs WHERE job = 'return-rates' AND run_id IN {ids:Array(String)}",
      params: { ids: [first.runId, second.runId] }, tag: 'test',
    })
    expect(runs.map((r) => r.status).sort()).toEqual(['ok', 'skipped'])
  })

  it('lists last runs per job and publishes each run', async () => {
    const { body } = await get('/api/v1/pipelines')
    expect(body.jobs.map((j: { job: string }) => j.job).sort()).toEqual(['anomalies', 'cost-recovery', 'flows', 'overdue-tasks', 'reasons', 'return-rates', 'turnaround'])
    const rates = body.jobs.find((j: { job: string }) => j.job === 'return-rates')
    expect(rates.lastRun).toMatchObject({ status: expect.stringMatching(/ok|skipped/) })
    expect(rates.recentRuns.length).toBeGreaterThanOrEqual(2)
    expect(messages.some((m) => m.room === 'pipelines')).toBe(true)
    expect(messages.some((m) => m.room === 'kpis')).toBe(true)
  })

  it('runs a job on demand for admins only; an unknown job is a 404', async () => {
    const asViewer = await runtime.app.inject({ method: 'POST', url: '/api/v1/pipelines/flows/run', headers: { authorization: `Bearer ${VIEWER}` } })
    expect(asViewer.statusCode).toBe(403)
    const run = await runtime.app.inject({ method: 'POST', url: '/api/v1/pipelines/flows/run', headers: { authorization: `Bearer ${ADMIN}` } })
    expect(run.statusCode).toBe(200)
    expect(run.json()).toMatchObject({ job: 'flows', status: 'ok', rows: expect.any(Number), durationMs: expect.any(Number) })
    const unknown = await runtime.app.inject({ method: 'POST', url: '/api/v1/pipelines/nope/run', headers: { authorization: `Bearer ${ADMIN}` } })
    expect(unknown.statusCode).toBe(404)
  })

  it('rebuilds an incremental job in full when asked, records which runs were full, and names a bad rebuild flag', async () => {
    const post = (qs: string) => runtime.app.inject({ method: 'POST', url: `/api/v1/pipelines/cost-recovery/run${qs}`, headers: { authorization: `Bearer ${ADMIN}` } })
    const rebuilt = await post('?rebuild=true')
    expect(rebuilt.statusCode, rebuilt.body).toBe(200)
    expect(rebuilt.json()).toMatchObject({ job: 'cost-recovery', status: 'ok', full: true })
    // Nothing new since: the next run recomputes only what changed, i.e. nothing.
    const again = await post('')
    expect(again.json()).toMatchObject({ status: 'ok', full: false })
    const bad = await post('?rebuild=maybe')
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'bad_request', issues: [{ path: 'rebuild' }] })
    const status = await runtime.app.inject({ method: 'GET', url: '/api/v1/pipelines', headers: { authorization: `Bearer ${VIEWER}` } })
    const cost = (status.json() as { jobs: { job: string; recentRuns: { runId: string; full: boolean }[] }[] }).jobs.find((j) => j.job === 'cost-recovery')!
    expect(cost.recentRuns.slice(0, 2).map((r) => [r.runId, r.full])).toEqual([[again.json().runId, false], [rebuilt.json().runId, true]])
  })
})

describe('incremental cost refresh', () => {
  const sums = async () => {
    const [row] = await query<{ returns: number; net: number; sku_returns: number; sku_net: number; old_month_rows: number }>(runtime.ctx.store.client, {
      query: `SELECT (SELECT sum(returns) FROM cost_daily) AS returns, (SELECT sum(net_cost) FROM cost_daily) AS net,
                     (SELECT sum(returns) FROM sku_costs WHERE sku = 'SKU-INC') AS sku_returns,
                     (SELECT sum(net_cost) FROM sku_costs WHERE sku = 'SKU-INC') AS sku_net,
                     (SELECT count() FROM sku_costs WHERE sku = 'SKU-INC' AND day < today() - 40) AS old_month_rows`,
      tag: 'test',
    })
    return { returns: Number(row.returns), net: Number(row.net), skuReturns: Number(row.sku_returns), skuNet: Number(row.sku_net), oldMonthRows: Number(row.old_month_rows) }
  }
  const decide = (d: ReturnType<typeof decisionFor>) => runtime.ctx.store.client.insert({
    table: 'decisions', format: 'JSONEachRow', values: [decisionRow({ decision: d, category: 'apparel', reason: 'defective' })],
  })
  const inc: GeneratedReturn = { rmaId: 'R-INC', sku: 'SKU-INC', requestedAt: new Date(today.getTime() - 50 * 86_400_000), reason: 'defective' }

  it('recomputes only changed months, and moves a superseded decision out of its older month', async () => {
    const before = await sums()
    await decide(decisionFor(inc, { id: 'd-inc-0', decidedAt: inc.requestedAt, netCost: 7, baselineNetCost: 9, recovery: 1 }))
    { const run = await scheduler.runNow('cost-recovery'); expect(run, run.error).toMatchObject({ status: 'ok' }) }
    expect(await sums()).toMatchObject({ returns: before.returns + 1, net: before.net + 7, skuReturns: 1, skuNet: 7, oldMonthRows: 1 })

    // Re-decided today: the 50-day-old line leaves its month, this month gains it.
    await decide(decisionFor(inc, { id: 'd-inc-1', supersedes: 'd-inc-0', decidedAt: today, netCost: 11, baselineNetCost: 9, recovery: 1 }))
    { const run = await scheduler.runNow('cost-recovery'); expect(run, run.error).toMatchObject({ status: 'ok' }) }
    expect(await sums()).toMatchObject({ returns: before.returns + 1, net: before.net + 11, skuReturns: 1, skuNet: 11, oldMonthRows: 0 })

    // Nothing changed: the same answer again.
    { const run = await scheduler.runNow('cost-recovery'); expect(run, run.error).toMatchObject({ status: 'ok' }) }
    expect(await sums()).toMatchObject({ returns: before.returns + 1, net: before.net + 11, skuReturns: 1, skuNet: 11, oldMonthRows: 0 })
  })
})

describe('incremental cost over many months', () => {
  it('stages the changed months a few at a time and gives what a full rebuild gives', async () => {
    const client = runtime.ctx.store.client
    const olds: GeneratedReturn[] = [55, 90, 125, 160, 195].map((d, i) => ({ rmaId: `rma-COST-${i}`, sku: 'SKU-N3', requestedAt: dayAgo(today, d), reason: 'defective' }))
    const decisions = olds.map((r, i) => decisionFor(r, { id: `d-cost-${i}`, decidedAt: r.requestedAt, netCost: 3 + i, baselineNetCost: 10, recovery: 1 }))
    // The oldest is re-decided today: its money moves out of its month.
    decisions.push(decisionFor(olds[4], { id: 'd-cost-4b', supersedes: 'd-cost-4', decidedAt: today, netCost: 20, baselineNetCost: 10, recovery: 2 }))
    await client.insert({ table: 'decisions', format: 'JSONEachRow', values: decisions.map((decision) => decisionRow({ decision, category: 'electronics', reason: 'defective' })) })
    const snapshots = async () => query<Record<string, unknown>>(client, {
      query: `SELECT * FROM (
                SELECT 'daily' AS t, toString(day) AS k, concat(category, '|', reason, '|', resolution, '|', disposition) AS a, sum(returns) AS n, round(sum(net_cost), 6) AS net, round(sum(recovery), 6) AS rec
                FROM cost_daily GROUP BY day, category, reason, resolution, disposition
                UNION ALL
                SELECT 'sku' AS t, toString(day) AS k, sku AS a, sum(returns) AS n, round(sum(net_cost), 6) AS net, round(sum(recovery), 6) AS rec
                FROM sku_costs GROUP BY day, sku)
              ORDER BY t, k, a`,
      tag: 'test',
    })
    const incremental = await scheduler.runNow('cost-recovery')
    expect(incremental, incremental.error).toMatchObject({ status: 'ok', full: false })
    const staged = await snapshots()
    expect(staged.filter((r) => r.t === 'sku' && r.a === 'SKU-N3').map((r) => Number(r.net))).toEqual(expect.arrayContaining([3, 4, 5, 6, 20]))
    expect(staged.some((r) => r.t === 'sku' && r.a === 'SKU-N3' && Number(r.net) === 7)).toBe(false)
    const rebuilt = await scheduler.runNow('cost-recovery', { rebuild: true })
    expect(rebuilt, rebuilt.error).toMatchObject({ status: 'ok', full: true })
    expect(await snapshots()).toEqual(staged)
  })
})

describe('incremental turnaround refresh', () => {
  it('rebuilds only the request months touched since the last run', async () => {
    const before = (await get('/api/v1/kpis')).body
    // A request of another SKU, open until now, goes through receiving, inspection and refund.
    const r = returns.find((x) => x.sku !== 'SKU-X' && today.getTime() - x.requestedAt.getTime() < 20 * 86_400_000)!
    await send(statusEvents(r, 0, 'WH-C'))
    const run = await scheduler.runNow('turnaround')
    expect(run, run.error).toMatchObject({ status: 'ok' })
    const after = (await get('/api/v1/kpis')).body
    expect(after.openReturns.total).toBe(before.openReturns.total - 1)
    expect(after.turnaround.n).toBe(before.turnaround.n + 1)
    const computedAt = async () => (await query<{ at: string }>(runtime.ctx.store.client, { query: 'SELECT toString(max(computed_at)) AS at FROM turnaround_daily', tag: 'test' }))[0].at
    const built = await computedAt()
    // Nothing inserted since: the run finds no new insert block and rebuilds nothing.
    const again = await scheduler.runNow('turnaround')
    expect(again, again.error).toMatchObject({ status: 'ok' })
    expect((await get('/api/v1/kpis')).body.openReturns).toEqual(after.openReturns)
    expect(await computedAt()).toBe(built)
  })
})

describe('turnaround of requests no warehouse receives', () => {
  it('puts a keep-it request in its own "no warehouse" group, not "unknown"', async () => {
    // 45 days ago, so the 30-day figures the other tests check stay as they are.
    const requestedAt = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - 45 * 86_400_000 + 12 * 3_600_000)
    const keep: GeneratedReturn = { rmaId: 'rma-KEEP-1', sku: 'SKU-N1', requestedAt, reason: 'changed_mind' }
    await send([
      { eventId: keep.rmaId, type: 'return.requested', occurredAt: requestedAt.toISOString(), rmaId: keep.rmaId, orderId: 'o-keep', customer: { id: 'c-1', lat: 52.52, lon: 13.4 }, channel: 'web',
        lines: [{ sku: keep.sku, qty: 1, unitPrice: 50, reason: 'changed_mind', condition: 'unopened', wants: 'refund' }] },
      { eventId: `${keep.rmaId}-refunded`, type: 'return.status', occurredAt: new Date(requestedAt.getTime() + 2 * 3_600_000).toISOString(), rmaId: keep.rmaId, status: 'refunded' },
    ])
    const decision = { ...decisionFor(keep, { id: 'd-keep-1', decidedAt: new Date(requestedAt.getTime() + 60_000), netCost: 4, baselineNetCost: 20, recovery: 0 }),
      resolution: 'keep_it' as const, inboundMode: 'none' as const, receivingNodeId: null, disposition: 'none' as const }
    await runtime.ctx.store.client.insert({ table: 'decisions', format: 'JSONEachRow', values: [decisionRow({ decision, category: 'apparel', reason: keep.reason })] })
    const run = await scheduler.runNow('turnaround')
    expect(run, run.error).toMatchObject({ status: 'ok' })

    const { body } = await get('/api/v1/turnaround?window=90d')
    const made = body.byWarehouse.filter((w: { stage: string }) => w.stage === 'request_to_made_whole')
    expect(made.find((w: { warehouse: string }) => w.warehouse === 'none')).toMatchObject({ receivingNodeId: null, n: 1, p50Hours: 2 })
    expect(made.some((w: { receivingNodeId: string | null }) => w.receivingNodeId === 'unknown')).toBe(false)
    expect(made.filter((w: { warehouse: string }) => w.warehouse === 'node').every((w: { receivingNodeId: string }) => /^WH-/.test(w.receivingNodeId))).toBe(true)
    expect(body.byResolution.find((r: { stage: string; resolution: string }) => r.stage === 'request_to_made_whole' && r.resolution === 'keep_it')).toMatchObject({ n: 1 })
  })
})

describe('incremental turnaround over many months', () => {
  it('stages the touched request months a few at a time and gives what a full rebuild gives', async () => {
    // Five requests in five earlier months (before the 36 days the other tests read);
    // three are received, inspected and refunded, two stay open.
    const olds: GeneratedReturn[] = [50, 85, 120, 150, 185].map((d, i) => ({ rmaId: `rma-OLD-${i}`, sku: 'SKU-N2', requestedAt: dayAgo(today, d), reason: 'changed_mind' }))
    await send(olds.map((r) => ({
      eventId: r.rmaId, type: 'return.requested', occurredAt: r.requestedAt.toISOString(), rmaId: r.rmaId, orderId: `o-${r.rmaId}`,
      customer: { id: 'c-1', lat: 52.52, lon: 13.4 }, channel: 'web',
      lines: [{ sku: r.sku, qty: 1, unitPrice: 50, reason: r.reason, condition: 'unopened', wants: 'refund' }],
    })))
    await send(olds.slice(0, 3).flatMap((r, i) => statusEvents(r, i, 'WH-D')))
    const outputs = async () => query<Record<string, unknown>>(runtime.ctx.store.client, {
      query: `SELECT * FROM (
                SELECT 'turnaround' AS t, toString(day) AS k, toString(receiving_node_id) AS a, toString(resolution) AS b, toString(stage) AS c, sum(n) AS n,
                       round(sum(sum_hours), 6) AS h, arrayMap(q -> round(q, 3), quantilesTDigestMerge(0.5, 0.9, 0.99)(hours_q)) AS q
                FROM turnaround_daily GROUP BY day, receiving_node_id, resolution, stage
                UNION ALL
                SELECT 'open' AS t, toString(month) AS k, toString(status) AS a, '' AS b, '' AS c, sum(returns) AS n,
                       toFloat64(toUnixTimestamp64Milli(min(oldest_at))) AS h, [] AS q
                FROM open_returns GROUP BY month, status)
              ORDER BY t, k, a, b, c`,
      tag: 'test',
    })
    const incremental = await scheduler.runNow('turnaround')
    expect(incremental, incremental.error).toMatchObject({ status: 'ok', full: false })
    const staged = await outputs()
    expect(staged.filter((r) => r.t === 'open').reduce((n, r) => n + Number(r.n), 0)).toBeGreaterThan(0)
    const rebuilt = await scheduler.runNow('turnaround', { rebuild: true })
    expect(rebuilt, rebuilt.error).toMatchObject({ status: 'ok', full: true })
    expect(await outputs()).toEqual(staged)
  })
})

describe('run history retention', () => {
  it('drops runs older than the retention (TTL) and keeps recent ones', async () => {
    const client = runtime.ctx.store.client
    const old = new Date(today.getTime() - 40 * 86_400_000)
    await client.insert({
      table: 'pipeline_runs', format: 'JSONEachRow',
      values: ['old-1', 'old-2'].map((id) => ({
        job: 'flows', run_id: id, started_at: old.toISOString().replace('T', ' ').slice(0, 23), finished_at: old.toISOString().replace('T', ' ').slice(0, 23),
        status: 'ok', duration_ms: 1, rows: 0, error: '',
      })),
    })
    const count = async () => Object.fromEntries((await query<{ old: number; recent: number }>(client, {
      query: "SELECT countIf(run_id LIKE 'old-%') AS old, countIf(run_id NOT LIKE 'old-%') AS recent FROM pipeline_runs", tag: 'test',
    })).map((r) => [['old', Number(r.old)], ['recent', Number(r.recent)]]).flat())
    // The TTL drops expired rows when a part is written or merged (on insert, sometimes);
    // force the merge instead of waiting for a background one. Recent runs stay.
    const before = await count()
    await client.command({ query: 'OPTIMIZE TABLE pipeline_runs FINAL' })
    const after = await count()
    expect(after.old).toBe(0)
    expect(after.recent).toBe(before.recent)
    expect(after.recent).toBeGreaterThan(0)
  })
})

describe('recovery rate while the cost snapshot lags', () => {
  it('compares value per line on both sides, so returns not yet costed do not dilute it', async () => {
    const rate = async () => (await get('/api/v1/kpis')).body.cost.recoveryRate as number
    const before = await rate()
    expect(before).toBeGreaterThan(0)
    // As many new return lines as the window holds, at the window's average value per
    // line, and no cost run after them: a rate over the window's whole returned value
    // would halve; the rate per line stays.
    const [{ value, lines }] = await query<{ value: number; lines: number }>(runtime.ctx.store.client, {
      query: 'SELECT sum(value) AS value, sum(lines) AS lines FROM daily_returns WHERE day >= today() - 29 AND day <= today()', tag: 'test',
    })
    const n = Number(lines), price = Number(value) / n
    const at = new Date(Date.now() - 60_000).toISOString()
    await send(Array.from({ length: n }, (_, i) => ({
      eventId: `rr-${i}`, type: 'return.requested', occurredAt: at, rmaId: `rma-RR-${i}`, orderId: `o-rr-${i}`,
      customer: { id: 'c-rr', lat: 31.2, lon: 121.4 }, channel: 'web',
      lines: [{ sku: 'SKU-RR', qty: 1, unitPrice: Math.round(price * 100) / 100, reason: 'changed_mind', condition: 'unopened', wants: 'refund' }],
    })))
    const after = await rate()
    expect(after / before).toBeCloseTo(1, 2)
  })
})

describe('reason mix over a custom day range', () => {
  const day = (ago: number) => new Date(today.getTime() - ago * 86_400_000).toISOString().slice(0, 10)
  const mix = (body: { byCategory: { category: string; units: number; reasons: { reason: string; units: number; share: number }[] }[] }) =>
    Object.fromEntries(body.byCategory.map((c) => [c.category, Object.fromEntries(c.reasons.map((r) => [r.reason, r.units]))]))
  const returnOf = (sku: string, id: string, reason: string) => ({
    eventId: id, type: 'return.requested', occurredAt: new Date(Date.now() - 60_000).toISOString(), rmaId: `rma-${id}`, orderId: `o-${id}`,
    customer: { id: 'c-range', lat: 31.2, lon: 121.4 }, channel: 'web',
    lines: [{ sku, qty: 2, unitPrice: 50, reason, condition: 'used', wants: 'refund' }],
  })
  const upsert = (id: string, at: Date, category: string) => ({
    eventId: id, type: 'catalog.upsert', occurredAt: at.toISOString(),
    items: [{ sku: 'SKU-N3', name: 'SKU-N3', category, productType: 'generic', price: 50, weightKg: 1, repairable: false, lifecycle: 'current' }],
  })
  const runReasons = async () => expect(await scheduler.runNow('reasons')).toMatchObject({ status: 'ok' })

  it('reads the window the snapshot covers with the same mix, and a new return at once', async () => {
    await runReasons()
    const snapshot = (await get('/api/v1/reasons?window=30d&sku=SKU-X')).body
    const { status, body } = await get(`/api/v1/reasons?from=${day(29)}&to=${day(0)}&sku=SKU-X`)
    expect(status).toBe(200)
    expect(body).toMatchObject({ window: 'custom', from: day(29), to: day(0) })
    expect(body.byCategory).toEqual(snapshot.byCategory)
    expect(body.totals).toEqual(snapshot.totals)
    expect(body.sku).toEqual(snapshot.sku)
    // No job runs between the new return and the read.
    await send([returnOf('SKU-N3', 'range-1', 'wrong_item')])
    const after = mix((await get(`/api/v1/reasons?from=${day(29)}&to=${day(0)}`)).body)
    expect(after.electronics.wrong_item).toBe((mix(body).electronics.wrong_item ?? 0) + 2)
    const one = (await get(`/api/v1/reasons?from=${day(29)}&to=${day(0)}&category=electronics`)).body
    expect(one.byCategory.map((c: { category: string }) => c.category)).toEqual(['electronics'])
    expect(one.totals.reduce((n: number, r: { units: number }) => n + r.units, 0)).toBe(one.byCategory[0].units)
  })

  it('moves a SKU’s history to its new category when the reasons job runs after the catalog moved it', async () => {
    const range = `from=${day(400)}&to=${day(0)}`
    const before = mix((await get(`/api/v1/reasons?${range}`)).body)
    const n3 = { defective: await n3Units('defective'), wrong_item: await n3Units('wrong_item') }
    expect(n3.defective).toBe(27)
    await send([upsert('move-n3', new Date(), 'home')])
    // A return stored after the move is filed under the new category straight away …
    await send([returnOf('SKU-N3', 'range-2', 'defective')])
    const stale = mix((await get(`/api/v1/reasons?${range}`)).body)
    expect(stale.home).toEqual({ defective: 2 })
    expect(stale.electronics).toEqual(before.electronics)
    // … and the reasons job moves the rest; the roll-up then agrees with the snapshot,
    // which joins the catalog on every run.
    await runReasons()
    const moved = (await get(`/api/v1/reasons?${range}`)).body
    expect(mix(moved).home).toEqual({ defective: n3.defective + 2, wrong_item: n3.wrong_item })
    expect(mix(moved).electronics.defective ?? 0).toBe(before.electronics.defective - n3.defective)
    expect(mix(moved).electronics.wrong_item ?? 0).toBe(before.electronics.wrong_item - n3.wrong_item)
    const all = (await get('/api/v1/reasons?window=all')).body
    expect(moved.byCategory).toEqual(all.byCategory)
    // A second run finds nothing to move.
    await runReasons()
    expect((await get(`/api/v1/reasons?${range}`)).body.byCategory).toEqual(moved.byCategory)
  })

  it('repairs the lookup when an older catalog version is stored after a newer one', async () => {
    // Stored last, but older than the 'home' version in force: the catalog keeps 'home',
    // the lookup (last stored wins) says 'electronics' until the job repairs it.
    await send([upsert('old-n3', new Date(Date.now() - 30 * 86_400_000), 'electronics')])
    await runReasons()
    await send([returnOf('SKU-N3', 'range-3', 'other')])
    const body = (await get(`/api/v1/reasons?from=${day(1)}&to=${day(0)}`)).body
    expect(mix(body).home.other).toBe(2)
    expect(mix(body).electronics?.other).toBeUndefined()
  })
})

/** SKU-N3's returned units with one reason, from the line table. */
async function n3Units(reason: string): Promise<number> {
  const [{ units }] = await query<{ units: number }>(runtime.ctx.store.client, {
    query: "SELECT sum(qty) AS units FROM return_lines WHERE sku = 'SKU-N3' AND reason = {reason:String}", params: { reason }, tag: 'test',
  })
  return Number(units)
}
