// The reasons job and reason mixes over a custom day range.
// Against a real embedded ClickHouse on a generated history (store.ts).
import { describe, expect, it } from 'vitest'
import { query } from '../../../server/store/query.js'
import { runtime, scheduler, today, get, send, usePipelineStore } from './store.js'

usePipelineStore()

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
