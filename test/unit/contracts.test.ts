import { describe, expect, it } from 'vitest'
import { Event } from '../../server/contracts/events.js'
import { allEventBuilders as b } from '../fixtures/events.js'

const firstIssue = (value: unknown) => {
  const r = Event.safeParse(value)
  return r.success ? null : r.error.issues.map((i) => i.path.join('.')).sort()
}

describe('event contracts', () => {
  it.each(Object.entries(b))('accepts a valid %s', (_name, build) => {
    const r = Event.safeParse(build())
    expect(r.success, JSON.stringify(!r.success && r.error.issues)).toBe(true)
  })

  it.each([
    ['unknown type', { ...b.orderPlaced(), type: 'order.shipped' }, ['type']],
    ['missing eventId', { ...b.orderPlaced(), eventId: undefined }, ['eventId']],
    ['empty eventId', { ...b.orderPlaced(), eventId: '' }, ['eventId']],
    ['eventId over 128 chars', { ...b.orderPlaced(), eventId: 'x'.repeat(129) }, ['eventId']],
    ['timestamp without zone', { ...b.orderPlaced(), occurredAt: '2026-11-20T10:00:00' }, ['occurredAt']],
    ['unknown field', { ...b.orderPlaced(), coupon: 'X' }, ['']],
    ['latitude out of range', b.orderPlaced({ customer: { id: 'C', lat: 95, lon: 0 } }), ['customer.lat']],
    ['longitude out of range', b.orderPlaced({ customer: { id: 'C', lat: 0, lon: -181 } }), ['customer.lon']],
    ['zero qty', b.orderPlaced({ lines: [{ sku: 'S', qty: 0, unitPrice: 1 }] }), ['lines.0.qty']],
    ['fractional qty', b.orderPlaced({ lines: [{ sku: 'S', qty: 1.5, unitPrice: 1 }] }), ['lines.0.qty']],
    ['negative price', b.orderPlaced({ lines: [{ sku: 'S', qty: 1, unitPrice: -1 }] }), ['lines.0.unitPrice']],
    ['no lines', b.orderPlaced({ lines: [] }), ['lines']],
    ['sku with a line break', b.orderPlaced({ lines: [{ sku: 'a\nb', qty: 1, unitPrice: 1 }] }), ['lines.0.sku']],
    ['sku over 64 chars', b.orderPlaced({ lines: [{ sku: 'x'.repeat(65), qty: 1, unitPrice: 1 }] }), ['lines.0.sku']],
    ['qty over a million', b.orderPlaced({ lines: [{ sku: 'S', qty: 1_000_001, unitPrice: 1 }] }), ['lines.0.qty']],
    ['unknown reason', b.returnRequested({ lines: [{ sku: 'S', qty: 1, unitPrice: 1, reason: 'bored', condition: 'used', wants: 'refund' }] }), ['lines.0.reason']],
    ['unknown condition', b.returnRequested({ lines: [{ sku: 'S', qty: 1, unitPrice: 1, reason: 'other', condition: 'shiny', wants: 'refund' }] }), ['lines.0.condition']],
    ['unknown wish', b.returnRequested({ lines: [{ sku: 'S', qty: 1, unitPrice: 1, reason: 'other', condition: 'used', wants: 'cash' }] }), ['lines.0.wants']],
    ['unknown channel', b.returnRequested({ channel: 'fax' }), ['channel']],
    ['too many lines', b.returnRequested({ lines: Array.from({ length: 101 }, () => b.returnRequested().lines[0]) }), ['lines']],
    ['reason text over 1000', b.returnRequested({ lines: [{ ...b.returnRequested().lines[0], reasonText: 'x'.repeat(1001) }] }), ['lines.0.reasonText']],
    ['status requested is implied, not sent', b.returnStatus({ status: 'requested' }), ['status']],
    ['unknown status', b.returnStatus({ status: 'lost' }), ['status']],
    ['grade E', b.returnInspected({ grade: 'E' }), ['grade']],
    ['negative on hand', b.inventorySnapshot({ items: [{ sku: 'S', onHand: -1 }] }), ['items.0.onHand']],
    ['zero delta', b.inventoryAdjusted({ delta: 0 }), ['delta']],
    ['unknown lifecycle', b.catalogUpsert({ items: [{ ...b.catalogUpsert().items[0], lifecycle: 'vintage' }] }), ['items.0.lifecycle']],
    ['zero weight', b.catalogUpsert({ items: [{ ...b.catalogUpsert().items[0], weightKg: 0 }] }), ['items.0.weightKg']],
  ])('rejects %s', (_name, value, paths) => {
    expect(firstIssue(value)).toEqual(paths)
  })
})

describe('commerce limits (issue 16)', () => {
  it('accepts a wholesale line and a SKU with a space, as real exports have them', () => {
    const e = Event.safeParse(b.orderPlaced({ lines: [{ sku: 'BANK CHARGES', qty: 80_995, unitPrice: 2.08 }, { sku: '  85123A ', qty: 1_000_000, unitPrice: 1 }] }))
    expect(e.success).toBe(true)
    if (e.success && e.data.type === 'order.placed') expect(e.data.lines[1].sku).toBe('85123A')
  })
})
