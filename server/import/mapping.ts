// Column mapping from another system's order/return export to revnav events. Pure: a
// source record in, a validated event (or the row's errors) out. Every event is checked
// with the same zod contract as POST /api/v1/events, and its eventId is derived from the
// row's content, so importing the same file twice adds nothing.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { Channel, Condition, ReturnReason, WantedResolution } from '../contracts/enums.js'
import { Event } from '../contracts/events.js'
import type { SourceRecord } from '../csv.js'

/** Target fields a column can feed. */
export const TARGET_FIELDS = [
  'orderId', 'sku', 'qty', 'unitPrice', 'occurredAt', 'customerId', 'lat', 'lon', 'region',
  'rmaId', 'reason', 'reasonText', 'condition', 'wants', 'channel', 'kind', 'name', 'category',
] as const
export type TargetField = (typeof TARGET_FIELDS)[number]

/** A regular expression given as text; refused at load time when it does not compile. */
const Pattern = z.string().min(1).max(500).refine((p) => {
  try { new RegExp(p); return true } catch { return false }
}, 'not a valid regular expression')
const ColumnPattern = z.strictObject({ column: z.string().min(1).max(200), pattern: Pattern })

/** What a customer id or location is when the export has none (docs/importing.md). */
export const DEFAULT_CUSTOMER_ID = 'guest'

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
    /** A credit note told by a pattern of a column, e.g. invoice numbers starting with C. */
    flagPattern: ColumnPattern.optional(),
  }).default({ negativeQty: false, flagValues: [] }),
  /** Rows that are neither sales nor returns (stock write-offs, bad-debt adjustments): skipped and counted. */
  skip: z.array(ColumnPattern).max(50).default([]),
  /** SKUs that are not products (postage, fees, discounts): counted, not stored as sales or returns. */
  excludeSkus: Pattern.optional(),
  /** Catalog fields for SKUs first seen in the import (a `name`/`category` column or --catalog fills the rest). */
  catalogDefaults: z.strictObject({
    category: z.string().min(1).max(64).default('uncategorised'),
    weightKg: z.number().positive().max(2000).default(1),
    repairable: z.boolean().default(false),
  }).default({ category: 'uncategorised', weightKg: 1, repairable: false }),
  /** Source reason codes → revnav reasons; an unmapped code falls back to defaults.reason. */
  reasonMap: z.record(z.string().max(100), ReturnReason).default({}),
  /** Prefix of the generated event ids (and of rmaIds derived for returns without one). */
  idPrefix: z.string().regex(/^[\w.:-]{1,32}$/).default('import'),
})
export type Mapping = z.infer<typeof Mapping>

export interface RowError { path: string; message: string }
/** What the catalog learns from a row: the SKU's name and category when the export has them. */
export interface CatalogHint { sku: string; name?: string; category?: string; unitPrice?: number }
export type MappedRow =
  | { status: 'event'; line: number; event: Event; catalog: CatalogHint; derivedRmaId: boolean }
  | { status: 'rejected'; line: number; errors: RowError[] }
  | { status: 'skipped' | 'excluded'; line: number }

/**
 * Identical rows (same content) are told apart by their occurrence number, so a file
 * with two genuinely equal sale rows imports both, and importing it again neither.
 */
export class RowMapper {
  private readonly occurrences = new Map<string, number>()
  private readonly flagPattern?: { column: string; re: RegExp }
  private readonly skip: { column: string; re: RegExp }[]
  private readonly excludeSkus?: RegExp

  constructor(readonly mapping: Mapping) {
    const fp = mapping.returnWhen.flagPattern
    if (fp) this.flagPattern = { column: fp.column, re: new RegExp(fp.pattern) }
    this.skip = mapping.skip.map((s) => ({ column: s.column, re: new RegExp(s.pattern) }))
    if (mapping.excludeSkus) this.excludeSkus = new RegExp(mapping.excludeSkus)
  }

  map(record: SourceRecord): MappedRow {
    const m = this.mapping
    for (const s of this.skip) {
      if (s.re.test(record.fields[s.column] ?? '')) return { status: 'skipped', line: record.line }
    }
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
    const sku = cell('sku')
    if (sku !== undefined && this.excludeSkus?.test(sku)) return { status: 'excluded', line: record.line }

    const rawQty = numberOf('qty')
    const flag = m.returnWhen.flagColumn ? record.fields[m.returnWhen.flagColumn]?.trim().toLowerCase() : undefined
    const kindCell = cell('kind')?.toLowerCase()
    const isReturn =
      (kindCell !== undefined ? m.returnKinds.some((k) => k.toLowerCase() === kindCell) : m.rowsAre === 'return') ||
      (m.returnWhen.negativeQty && rawQty !== undefined && rawQty < 0) ||
      (flag !== undefined && flag !== '' && m.returnWhen.flagValues.some((f) => f.toLowerCase() === flag)) ||
      (this.flagPattern !== undefined && this.flagPattern.re.test(record.fields[this.flagPattern.column] ?? ''))
    // A return's quantity is its size, whichever sign the export books it with.
    const qty = rawQty !== undefined && isReturn ? Math.abs(rawQty) : rawQty

    const occurredAt = isoTime(cell('occurredAt'))
    const orderId = cell('orderId')
    const customer = {
      id: cell('customerId') ?? m.defaults.customerId ?? DEFAULT_CUSTOMER_ID,
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
    if (parsed.success) {
      const name = cell('name')
      const category = cell('category')
      return {
        status: 'event', line: record.line, event: parsed.data, derivedRmaId: isReturn && cell('rmaId') === undefined,
        catalog: { sku: sku!, ...(name ? { name } : {}), ...(category ? { category } : {}), ...(unitPrice !== undefined ? { unitPrice } : {}) },
      }
    }
    return {
      status: 'rejected', line: record.line,
      errors: parsed.error.issues.map((i) => {
        const path = i.path.map(String).join('.')
        const column = sourceColumnOf(path, m)
        // The offending value as the file has it, so the row can be found and fixed.
        const value = column !== undefined ? record.fields[column] : undefined
        const shown = value === undefined ? '' : value === '' ? ', empty' : ` = ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`
        return { path: column ? `${path} (column ${column}${shown})` : path, message: i.message }
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
export function mappingFromFlags(flags: {
  columns: string[]; defaults: string[]; rowsAre?: string; negativeIsReturn?: boolean; returnFlag?: string
  returnPattern?: string; skip?: string[]; excludeSkus?: string; idPrefix?: string
}): Mapping {
  const pair = (p: string): [string, string] => {
    const i = p.indexOf('=')
    if (i <= 0) throw new Error(`"${p}" is not field=value`)
    return [p.slice(0, i), p.slice(i + 1)]
  }
  const pairs = (list: string[]) => Object.fromEntries(list.map(pair))
  const defaults: Record<string, unknown> = pairs(flags.defaults)
  for (const k of ['lat', 'lon']) if (k in defaults) defaults[k] = Number(defaults[k])
  const [flagColumn, values] = flags.returnFlag ? pair(flags.returnFlag) : [undefined, undefined]
  const pattern = flags.returnPattern ? pair(flags.returnPattern) : undefined
  return Mapping.parse({
    columns: pairs(flags.columns), defaults,
    ...(flags.rowsAre ? { rowsAre: flags.rowsAre } : {}),
    returnWhen: {
      negativeQty: flags.negativeIsReturn ?? false,
      ...(flagColumn ? { flagColumn, flagValues: (values ?? '').split('|').filter(Boolean) } : {}),
      ...(pattern ? { flagPattern: { column: pattern[0], pattern: pattern[1] } } : {}),
    },
    skip: (flags.skip ?? []).map((s) => { const [column, p] = pair(s); return { column, pattern: p } }),
    ...(flags.excludeSkus ? { excludeSkus: flags.excludeSkus } : {}),
    ...(flags.idPrefix ? { idPrefix: flags.idPrefix } : {}),
  })
}
