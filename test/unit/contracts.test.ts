import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Event } from '../../server/contracts/events.js'
import { CLEAN_TEXT_MESSAGE, cleanText } from '../../server/contracts/text.js'
import { WeightsChange } from '../../server/contracts/weights.js'
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

// Issue 13: a lone surrogate in any string made ClickHouse refuse the whole batched
// insert the event shared with other producers' events. Every string of every input
// contract is checked (str() in server/contracts/text.ts); these tests make a string
// added without that check fail here instead of in production.
describe('well-formed text in every string field', () => {
  type Def = { type: string; checks?: unknown[]; [k: string]: unknown }
  const defOf = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def

  /** Paths of the string schemas reachable from `schema` that lack the cleanText check. */
  function uncheckedStrings(schema: unknown, path: string, out: string[], seen = new Set<unknown>()): string[] {
    if (seen.has(schema)) return out
    seen.add(schema)
    const def = defOf(schema)
    switch (def.type) {
      case 'string':
        if (!(def.checks ?? []).includes(cleanText)) out.push(path || '(root)')
        break
      case 'object':
        for (const [key, field] of Object.entries(def.shape as Record<string, unknown>)) uncheckedStrings(field, path ? `${path}.${key}` : key, out, seen)
        break
      case 'array': uncheckedStrings(def.element, `${path}[]`, out, seen); break
      case 'union': for (const o of def.options as unknown[]) uncheckedStrings(o, path, out, seen); break
      case 'optional': case 'nullable': case 'default': case 'readonly': case 'nonoptional': case 'catch':
        uncheckedStrings(def.innerType, path, out, seen); break
      case 'pipe': uncheckedStrings(def.in, path, out, seen); uncheckedStrings(def.out, path, out, seen); break
      case 'record': uncheckedStrings(def.keyType, `${path}{key}`, out, seen); uncheckedStrings(def.valueType, `${path}{}`, out, seen); break
      case 'enum': case 'literal': case 'number': case 'boolean': case 'transform': break
      default: out.push(`${path}: unknown schema type ${def.type}`)
    }
    return out
  }

  it.each([['Event', Event], ['WeightsChange', WeightsChange]])('every string of %s carries the check', (_name, schema) => {
    expect(uncheckedStrings(schema, '', [])).toEqual([])
  })

  it('the walker does see an unchecked string', () => {
    expect(uncheckedStrings(z.strictObject({ a: z.array(z.object({ b: z.string().optional() })) }), '', [])).toEqual(['a[].b'])
  })

  /** Every (path, string) leaf of a valid event. */
  function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (typeof value === 'string') return [path]
    if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]))
    if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]))
    return []
  }
  const withLeaf = (value: unknown, path: (string | number)[], leaf: string): unknown => {
    const copy = structuredClone(value) as Record<string | number, unknown>
    let at = copy
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>
    at[path.at(-1)!] = leaf
    return copy
  }

  const cases = Object.entries(b).flatMap(([name, build]) => {
    const full = build()
    return stringLeaves(full)
      .filter((p) => p[0] !== 'type') // the discriminator: any change is an unknown type
      .flatMap((p) => [
        [`${name} ${p.join('.')} with a lone high surrogate`, full, p, `${String(p.at(-1))}-\ud800`],
        [`${name} ${p.join('.')} with a lone low surrogate`, full, p, `\udc00x`],
        [`${name} ${p.join('.')} with NUL`, full, p, `a\u0000b`],
      ] as const)
  })

  it.each(cases)('rejects %s, naming the path', (_name, valid, path, bad) => {
    const r = Event.safeParse(withLeaf(valid, path, bad))
    expect(r.success).toBe(false)
    const issues = r.success ? [] : r.error.issues
    expect(issues.map((i) => i.path.join('.'))).toContain(path.join('.'))
  })

  it('accepts well-formed text beyond the BMP (a surrogate pair)', () => {
    const r = Event.safeParse(b.returnStatus({ note: 'Paket beschädigt 📦' }))
    expect(r.success, JSON.stringify(!r.success && r.error.issues)).toBe(true)
  })

  it('names the rule in the message', () => {
    const r = Event.safeParse({ ...b.orderPlaced(), eventId: 'poison-\ud800' })
    expect(r.success).toBe(false)
    expect(r.error!.issues).toEqual([expect.objectContaining({ path: ['eventId'], message: CLEAN_TEXT_MESSAGE })])
  })

  it.each([['comment', { comment: 'ok\ud800' }, 'comment'], ['a category', { policy: { nonReturnableCategories: ['ok', 'x\u0000'] } }, 'policy.nonReturnableCategories.1']])(
    'rejects a weights change whose %s is not clean text', (_name, body, path) => {
      const r = WeightsChange.safeParse(body)
      expect(r.success).toBe(false)
      expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path)
    })
})

describe('commerce limits (issue 16)', () => {
  it('accepts a wholesale line and a SKU with a space, as real exports have them', () => {
    const e = Event.safeParse(b.orderPlaced({ lines: [{ sku: 'BANK CHARGES', qty: 80_995, unitPrice: 2.08 }, { sku: '  85123A ', qty: 1_000_000, unitPrice: 1 }] }))
    expect(e.success).toBe(true)
    if (e.success && e.data.type === 'order.placed') expect(e.data.lines[1].sku).toBe('85123A')
  })
})
