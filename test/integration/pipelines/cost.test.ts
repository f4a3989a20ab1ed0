// The cost-recovery job: incremental runs by month, and the recovery rate while it lags.
// Against a real embedded ClickHouse on a generated history (store.ts).
import { describe, expect, it } from 'vitest'
import { query } from '../../../server/store/query.js'
import { decisionRow } from '../../../server/store/rows.js'
import { dayAgo, decisionFor, type GeneratedReturn } from '../analytics-history.js'
import { runtime, scheduler, returns, today, get, send, usePipelineStore } from './store.js'

usePipelineStore()

/**
 * sku_cost_months against sku_costs summed by month (0092): the month grain the SKU list
 * of a period reads must hold exactly the days' money after every kind of run.
 */
async function expectMonthsOfSkuCosts() {
  const byMonth = (table: string, grain: string) => query<Record<string, unknown>>(runtime.ctx.store.client, {
    query: `SELECT toString(${grain}) AS m, toString(sku) AS s, sum(returns) AS n, round(sum(net_cost), 6) AS net,
                   round(sum(recovery), 6) AS rec, round(sum(baseline_net_cost), 6) AS base
            FROM ${table} GROUP BY m, s ORDER BY m, s`,
    tag: 'test',
  })
  const days = await byMonth('sku_costs', 'toStartOfMonth(day)')
  expect(days.length).toBeGreaterThan(0)
  expect(await byMonth('sku_cost_months', 'month')).toEqual(days)
}

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
    await expectMonthsOfSkuCosts()

    // Re-decided today: the 50-day-old line leaves its month, this month gains it.
    await decide(decisionFor(inc, { id: 'd-inc-1', supersedes: 'd-inc-0', decidedAt: today, netCost: 11, baselineNetCost: 9, recovery: 1 }))
    { const run = await scheduler.runNow('cost-recovery'); expect(run, run.error).toMatchObject({ status: 'ok' }) }
    expect(await sums()).toMatchObject({ returns: before.returns + 1, net: before.net + 11, skuReturns: 1, skuNet: 11, oldMonthRows: 0 })
    await expectMonthsOfSkuCosts()

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
    await expectMonthsOfSkuCosts()
    expect(staged.filter((r) => r.t === 'sku' && r.a === 'SKU-N3').map((r) => Number(r.net))).toEqual(expect.arrayContaining([3, 4, 5, 6, 20]))
    expect(staged.some((r) => r.t === 'sku' && r.a === 'SKU-N3' && Number(r.net) === 7)).toBe(false)
    const rebuilt = await scheduler.runNow('cost-recovery', { rebuild: true })
    expect(rebuilt, rebuilt.error).toMatchObject({ status: 'ok', full: true })
    expect(await snapshots()).toEqual(staged)
    await expectMonthsOfSkuCosts()
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
