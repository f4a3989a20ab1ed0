// Column mapping from another system's order/return export to revnav events. Pure: a
// source record in, a validated event (or the row's errors) out. Every event is checked
// with the same zod contract as POST /api/v1/events, and its eventId is derived from the
// row's content, so importing the same file twice adds nothing.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { Channel, Condition, ReturnReason, WantedResolution } from '../contracts/enums.js'
import { Event } from '../contracts/events.js'
import type { SourceRecord } from './csv.js'

/** Target fields a column can feed. */
export const TARGET_FIELDS = [
  'orderId', 'sku', 'qty', 'unitPrice', 'occurredAt', 'customerId', 'lat', 'lon', 'region',
  'rmaId', 'reason', 'reasonText', 'condition', 'wants', 'channel', 'kind',
] as const
export type TargetField = (typeof TARGET_FIELDS)[number]

export const Mapping = z.strictObject({
  /** target field → source column name (CSV header or dotted NDJSON key). */
  columns: z.partialRecord(z.enum(TARGET_FIELDS), z.string().min(1).max(200)),
  /** Values used when a row has no column (or an empty cell) for a field. */
  defaults: z.strictObject({
    customerId: z.string().max(128).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    region: z.string().max(64).optional(),
    channel: Channel.optional(),
    reason: ReturnReason.optional(),
    condition: Condition.optional(),
    wants: WantedResolution.optional(),
  }).default({}),
  /** What a row is when no `kind` column says: sales ('order') or returns ('return'). */
  rowsAre: z.enum(['order', 'return']).default('order'),
  /** kind column values (case-insensitive) meaning a return; anything else is a sale. */
  returnKinds: z.array(z.string().max(64)).max(50).default(['return', 'returns', 'rma']),
  /** Real exports often book a return as a sale with negative quantity or a credit-note flag. */
  returnWhen: z.strictObject({
    negativeQty: z.boolean().default(false),
    flagColumn: z.string().max(200).optional(),
    flagValues: z.array(z.string().max(64)).max(50).default([]),
  }).default({ negativeQty: false, flagValues: [] }),
  /** Source reason codes → revnav reasons; an unmapped code falls back to defaults.reason. */
  reasonMap: z.record(z.string().max(100), ReturnReason).default({}),
  /** Prefix of the generated event ids (and of rmaIds derived for returns without one). */
  idPrefix: z.string().regex(/^[\w.:-]{1,32}$/).default('import'),
})
export type Mapping = z.infer<typeof Mapping>

export interface RowError { path: string; message: string }
export type MappedRow =
  | { ok: true; line: number; event: Event }
  | { ok: false; line: number; errors: RowError[] }

/**
 * Identical rows (same content) are told apart by their occurrence number, so a file
 * with two genuinely equal sale rows imports both, and importing it again neither.
 */
export class RowMapper {
  private readonly occurrences = new Map<string, number>()

  constructor(readonly mapping: Mapping) {}

  map(record: SourceRecord): MappedRow {
    const m = this.mapping
    const cell = (field: TargetField): string | undefined => {
      const column = m.columns[field]
      const v = column === undefined ? undefined : record.fields[column]
      return v === undefined || v.trim() === '' ? undefined : v.trim()
    }
    const numberOf = (field: TargetField, fallback?: number): number | undefined => {
      const v = cell(field)
      if (v === undefined) return fallback
      // Tolerates thousands separators a spreadsheet export adds ("1,299.00").
      const n = Number(v.replace(/,(?=\d{3}(\D|$))/g, ''))
      return Number.isFinite(n) ? n : NaN
    }

    const rawQty = numberOf('qty')
    const flag = m.returnWhen.flagColumn ? record.fields[m.returnWhen.flagColumn]?.trim().toLowerCase() : undefined
    const kindCell = cell('kind')?.toLowerCase()
    const isReturn =
      (kindCell !== undefined ? m.returnKinds.some((k) => k.toLowerCase() === kindCell) : m.rowsAre === 'return') ||
      (m.returnWhen.negativeQty && rawQty !== undefined && rawQty < 0) ||
      (flag !== undefined && flag !== '' && m.returnWhen.flagValues.some((f) => f.toLowerCase() === flag))
    // A sale booked as a negative line is a return of the positive quantity.
    const qty = rawQty !== undefined && isReturn && rawQty < 0 ? -rawQty : rawQty

    const occurredAt = isoTime(cell('occurredAt'))
    const orderId = cell('orderId')
    const sku = cell('sku')
    const customer = {
      id: cell('customerId') ?? m.defaults.customerId,
      lat: numberOf('lat', m.defaults.lat),
      lon: numberOf('lon', m.defaults.lon),
      ...((cell('region') ?? m.defaults.region) ? { region: cell('region') ?? m.defaults.region } : {}),
    }
    const unitPrice = numberOf('unitPrice')
    const content = isReturn
      ? ['return', orderId, cell('rmaId'), sku, qty, unitPrice, occurredAt, customer.id, cell('reason')]
      : ['order', orderId, sku, qty, unitPrice, occurredAt, customer.id]
    const digest = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 24)
    const n = (this.occurrences.get(digest) ?? 0) + 1
    this.occurrences.set(digest, n)
    const eventId = `${m.idPrefix}:${digest}${n > 1 ? `:${n}` : ''}`

    let candidate: Record<string, unknown>
    if (isReturn) {
      const sourceReason = cell('reason')
      const reason = sourceReason === undefined ? m.defaults.reason ?? 'other'
        : (m.reasonMap[sourceReason] ?? (ReturnReason.safeParse(sourceReason).success ? sourceReason : m.defaults.reason ?? sourceReason))
      candidate = {
        eventId, type: 'return.requested', occurredAt,
        rmaId: cell('rmaId') ?? `${m.idPrefix}-rma-${digest.slice(0, 16)}${n > 1 ? `-${n}` : ''}`,
        orderId, customer, channel: cell('channel') ?? m.defaults.channel ?? 'web',
        lines: [{
          sku, qty, unitPrice, reason,
          ...(cell('reasonText') ? { reasonText: cell('reasonText') } : {}),
          condition: cell('condition') ?? m.defaults.condition ?? 'used',
          wants: cell('wants') ?? m.defaults.wants ?? 'refund',
        }],
      }
    } else {
      candidate = { eventId, type: 'order.placed', occurredAt, orderId, customer, lines: [{ sku, qty, unitPrice }] }
    }
    const parsed = Event.safeParse(candidate)
    if (parsed.success) return { ok: true, line: record.line, event: parsed.data }
    return {
      ok: false, line: record.line,
      errors: parsed.error.issues.map((i) => {
        const path = i.path.map(String).join('.')
        const column = sourceColumnOf(path, m)
        return { path: column ? `${path} (column ${column})` : path, message: i.message }
      }),
    }
  }
}

/** The source column behind an event path, for error messages a user can act on. */
function sourceColumnOf(path: string, m: Mapping): string | undefined {
  const leaf = path.split('.').pop() ?? ''
  const field: Partial<Record<string, TargetField>> = { id: 'customerId', lat: 'lat', lon: 'lon', region: 'region' }
  const target = (path.startsWith('customer.') ? field[leaf] : (TARGET_FIELDS as readonly string[]).includes(leaf) ? leaf as TargetField : undefined)
  return target ? m.columns[target] : undefined
}

/** ISO 8601 with a zone; a zone-less date or date-time is taken as UTC. */
export function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const v = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value
  const t = Date.parse(v)
  return Number.isNaN(t) ? value : new Date(t).toISOString()
}

/** A mapping from CLI flags: --column field=Header (repeatable), --default field=value, … */
export function mappingFromFlags(flags: { columns: string[]; defaults: string[]; rowsAre?: string; negativeIsReturn?: boolean; returnFlag?: string; idPrefix?: string }): Mapping {
  const pairs = (list: string[]) => Object.fromEntries(list.map((p) => {
    const i = p.indexOf('=')
    if (i <= 0) throw new Error(`"${p}" is not field=value`)
    return [p.slice(0, i), p.slice(i + 1)]
  }))
  const defaults: Record<string, unknown> = pairs(flags.defaults)
  for (const k of ['lat', 'lon']) if (k in defaults) defaults[k] = Number(defaults[k])
  const [flagColumn, values] = flags.returnFlag ? flags.returnFlag.split('=') : [undefined, undefined]
  return Mapping.parse({
    columns: pairs(flags.columns), defaults,
    ...(flags.rowsAre ? { rowsAre: flags.rowsAre } : {}),
    returnWhen: { negativeQty: flags.negativeIsReturn ?? false, ...(flagColumn ? { flagColumn, flagValues: (values ?? '').split('|').filter(Boolean) } : {}) },
    ...(flags.idPrefix ? { idPrefix: flags.idPrefix } : {}),
  })
}
