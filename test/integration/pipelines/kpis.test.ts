// The KPIs, flows, reasons and SKU detail read from the jobs' snapshots.
// Against a real embedded ClickHouse on a generated history (store.ts).
import { describe, expect, it } from 'vitest'
import { decisionRow } from '../../../server/store/rows.js'
import { decisionFor } from '../analytics-history.js'
import { runtime, scheduler, returns, xReturns, today, get, usePipelineStore } from './store.js'

usePipelineStore()

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
