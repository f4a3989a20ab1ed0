// The turnaround job: percentiles, incremental runs by request month, the "no warehouse" group.
// Against a real embedded ClickHouse on a generated history (store.ts).
import { describe, expect, it } from 'vitest'
import { query } from '../../../server/store/query.js'
import { decisionRow } from '../../../server/store/rows.js'
import { dayAgo, decisionFor, stageHours, statusEvents, type GeneratedReturn } from '../analytics-history.js'
import { runtime, scheduler, returns, xReturns, today, get, send, quantile, usePipelineStore } from './store.js'

usePipelineStore()

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
