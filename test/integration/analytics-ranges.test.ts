// Every analytics route over a period: window (7d/30d/90d/all) or from/to, parsed by the
// one helper (http/date-range.ts), against a real embedded ClickHouse on the generated
// history of analytics-history.ts (sales from 36 days ago to yesterday).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { createRuntime, type Runtime } from '../../server/runtime.js'
import { decisionRow } from '../../server/store/rows.js'
import { dayAgo, decisionFor, generateHistory, PLANS, spread, type GeneratedReturn } from './analytics-history.js'

const ADMIN = 'test-admin-key-123'
const VIEWER = 'test-viewer-key-1'
const today = new Date()
const day = (ago: number) => dayAgo(today, ago).toISOString().slice(0, 10)

let dir: string
let runtime: Runtime
let xReturns: GeneratedReturn[]

async function get(url: string) {
  const res = await runtime.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${VIEWER}` } })
  return { status: res.statusCode, body: res.json() }
}

/** Units a plan sold and returned on the days [fromAgo, toAgo] days ago (fromAgo ≥ toAgo), as generateHistory spreads them. */
function unitsIn(sku: string, fromAgo: number, toAgo: number): { sold: number; returned: number } {
  const out = { sold: 0, returned: 0 }
  for (const [first, last, sold, returned] of PLANS.find((p) => p.sku === sku)!.blocks) {
    const days = last - first + 1
    const s = spread(sold, days), r = spread(returned, days)
    for (let i = 0; i < days; i++) {
      const ago = last - i
      if (ago <= fromAgo && ago >= toAgo) { out.sold += s[i]; out.returned += r[i] }
    }
  }
  return out
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-ranges-'))
  runtime = await createRuntime(loadConfig({
    DATA_DIR: dir, PORT: '0', LOG_LEVEL: process.env.TEST_LOG ?? 'silent', DEMO: '0', PIPELINES: '0',
    API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`,
  }), { navigator: false })
  const history = generateHistory(today)
  for (let i = 0; i < history.events.length; i += 2000) {
    const res = await runtime.app.inject({
      method: 'POST', url: '/api/v1/events',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/x-ndjson' },
      payload: history.events.slice(i, i + 2000).map((e) => JSON.stringify(e)).join('\n'),
    })
    expect(res.json().rejected).toBe(0)
  }
  // Ten SKU-X returns decided (refund, restock) a minute after their request.
  xReturns = history.returns.filter((r) => r.sku === 'SKU-X')
  const decisions = xReturns.slice(0, 10).map((r, i) => decisionFor(r, {
    id: `d-${i}`, decidedAt: new Date(r.requestedAt.getTime() + 60_000), netCost: 10 + i, baselineNetCost: 30 + i, recovery: 5,
  }))
  await runtime.ctx.store.client.insert({
    table: 'decisions', format: 'JSONEachRow',
    values: decisions.map((decision) => decisionRow({ decision, category: 'apparel', reason: xReturns.find((r) => r.rmaId === decision.rmaId)!.reason })),
  })
  for (const job of runtime.scheduler.jobNames) {
    const run = await runtime.scheduler.runNow(job)
    expect(run, `${job}: ${run.error}`).toMatchObject({ status: 'ok' })
  }
}, 180_000)

afterAll(async () => {
  await runtime?.close()
  rmSync(dir, { recursive: true, force: true })
})

const ROUTES = ['/api/v1/kpis', '/api/v1/skus', '/api/v1/skus/SKU-X', '/api/v1/reasons', '/api/v1/turnaround', '/api/v1/anomalies', '/api/v1/flows']

describe('a bad period is a 400 naming the parameter, on every analytics route', () => {
  const cases: [string, string][] = [
    ['from=yesterday', 'from'],
    ['to=2024-13-01', 'to'],
    ['from=1989-12-31', 'from'],
    [`to=${new Date(Date.UTC(today.getUTCFullYear() + 2, 0, 1)).toISOString().slice(0, 10)}`, 'to'],
    [`from=${day(1)}&to=${day(5)}`, 'from'],
    ['window=14d', 'window'],
  ]
  it.each(ROUTES.flatMap((route) => cases.map(([qs, name]) => [route, qs, name])))('%s?%s names %s', async (route, qs, name) => {
    const { status, body } = await get(`${route}?${qs}`)
    expect(status, JSON.stringify(body)).toBe(400)
    expect(body.error).toBe('bad_request')
    expect(body.issues.map((i: { path: string }) => i.path)).toContain(name)
    expect(body.message).toContain(name)
  })

  it.each(ROUTES)('%s answers a good from/to', async (route) => {
    const { status, body } = await get(`${route}?from=${day(36)}&to=${day(0)}`)
    expect(status, JSON.stringify(body)).toBe(200)
  })
})

describe('KPIs over a period', () => {
  it('gives return rates, cost and the daily series of a day range', async () => {
    const { body } = await get(`/api/v1/kpis?from=${day(36)}&to=${day(7)}`)
    expect(body).toMatchObject({ window: 'custom', from: day(36), to: day(7) })
    expect(body.series).toHaveLength(30)
    expect(body.series[0].day).toBe(day(36))
    const expected = PLANS.map((p) => unitsIn(p.sku, 36, 7))
    expect(body.returnRate.unitsSold).toBe(expected.reduce((n, u) => n + u.sold, 0))
    expect(body.returnRate.unitsReturned).toBe(expected.reduce((n, u) => n + u.returned, 0))
    expect(body.series.reduce((n: number, d: { unitsSold: number }) => n + d.unitsSold, 0)).toBe(body.returnRate.unitsSold)
    const electronics = body.returnRate.byCategory.find((c: { category: string }) => c.category === 'electronics')
    expect(electronics).toMatchObject({ unitsSold: unitsIn('SKU-N3', 36, 7).sold + unitsIn('SKU-TINY', 36, 7).sold, skus: null })
  })

  it('starts "all time" at the first data, not at 1970', async () => {
    const { body } = await get('/api/v1/kpis?window=all')
    expect(body).toMatchObject({ window: 'all', from: day(36), to: day(0) })
    expect(body.series).toHaveLength(37)
    expect(body.returnRate.unitsSold).toBe(PLANS.reduce((n, p) => n + unitsIn(p.sku, 36, 0).sold, 0))
  })

  it('fills a range typed from long before the data only from the first data on', async () => {
    const { body } = await get(`/api/v1/kpis?from=2000-01-01&to=${day(0)}`)
    expect(body.from).toBe('2000-01-01')
    expect(body.series[0].day).toBe(day(36))
  })

  it('counts the cost of the decisions made in the period only', async () => {
    const decidedDays = xReturns.slice(0, 10).map((r) => r.requestedAt.toISOString().slice(0, 10)).sort()
    const all = (await get(`/api/v1/kpis?from=${day(36)}&to=${day(0)}`)).body
    expect(all.cost.returns).toBe(10)
    const none = (await get(`/api/v1/kpis?from=${day(36)}&to=${day(30)}`)).body
    expect(decidedDays[0] > day(30)).toBe(true)
    expect(none.cost.returns).toBe(0)
  })
})

describe('SKU detail and turnaround over all time', () => {
  it('starts the SKU trend for window=all at the first data', async () => {
    const { status, body } = await get('/api/v1/skus/SKU-HIGH?window=all')
    expect(status).toBe(200)
    expect(body).toMatchObject({ window: 'all', from: day(36), to: day(0), unitsSold: 1200 })
    expect(body.trend).toHaveLength(37)
    expect(body.trend[0].day).toBe(day(36))
  })

  it('starts the trend of a range typed from long before the data at the first data', async () => {
    const { body } = await get(`/api/v1/skus/SKU-HIGH?from=2000-01-01&to=${day(0)}`)
    expect(body).toMatchObject({ window: 'custom', from: '2000-01-01', to: day(0), unitsSold: 1200 })
    expect(body.trend[0].day).toBe(day(36))
    expect(body.trend).toHaveLength(37)
  })

  it('gives the turnaround of all time from the first data', async () => {
    const { body } = await get('/api/v1/turnaround?window=all')
    expect(body).toMatchObject({ window: 'all', from: day(36), to: day(0) })
  })
})

describe('flows over a period', () => {
  it('reads a day range live with the links of the snapshot for the same days', async () => {
    const snapshot = (await get('/api/v1/flows?window=30d')).body
    const range = (await get(`/api/v1/flows?from=${day(29)}&to=${day(0)}`)).body
    expect(range).toMatchObject({ window: 'custom', from: day(29), to: day(0) })
    expect(range.links).toEqual(snapshot.links)
    expect(range.links.filter((l: { target: string }) => l.target === 'resolution:refund').reduce((n: number, l: { value: number }) => n + l.value, 0)).toBe(10)
  })

  it('has no links for days without decisions', async () => {
    const { body } = await get(`/api/v1/flows?from=${day(36)}&to=${day(30)}`)
    expect(body.links).toEqual([])
  })
})

describe('anomalies of any period', () => {
  it('finds in a period ending today what the job finds', async () => {
    const job = (await get('/api/v1/anomalies')).body.items.map((a: { sku: string; kind: string }) => `${a.sku}:${a.kind}`).sort()
    const { body } = await get(`/api/v1/anomalies?window=30d`)
    expect(body).toMatchObject({ window: '30d', from: day(29), to: day(0) })
    expect(body.items.map((a: { sku: string; kind: string }) => `${a.sku}:${a.kind}`).sort()).toEqual(job)
    const spike = body.items.find((a: { kind: string }) => a.kind === 'spike')
    expect(spike).toMatchObject({ sku: 'SKU-SPIKE', active: true, unitsSold: 210, unitsReturned: 30, referenceRate: 0.02 })
  })

  it('judges an earlier period on its own days: no spike before it happened', async () => {
    const { body } = await get(`/api/v1/anomalies?from=${day(36)}&to=${day(7)}`)
    expect(body.items.map((a: { sku: string; kind: string }) => `${a.sku}:${a.kind}`)).toEqual(['SKU-HIGH:above_category'])
    const high = unitsIn('SKU-HIGH', 36, 7)
    expect(body.items[0]).toMatchObject({ unitsSold: high.sold, unitsReturned: high.returned, firstSeenAt: `${day(36)}T00:00:00.000Z` })
    expect(body.total).toBe(1)
  })
})
