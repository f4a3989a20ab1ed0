// How a Decision is stored: typed columns plus a compact payload holding only what the
// columns do not. Why: the embedded store's insert cost grows with the bytes inserted,
// whatever the input format, and the full Decision JSON, mostly repeated keys, was most
// of every ingested return's bytes (sizes and cost per byte: docs/benchmarks.md).
// Readers select the columns of DecisionRow and decode; rows written in an earlier format
// (version 2, or the whole Decision JSON before that) still decode.
import type { Alternative, Decision, DecisionTotals, Task } from '../contracts/decision.js'
import { z } from 'zod'
import { chTimeToIso, toChTime } from './query.js'

/**
 * Version 3 stores less of what a row already says (sizes: docs/benchmarks.md): an
 * alternative's path fields equal to the decision's own as 0 and its breakdown as the
 * values that differ from the chosen path's; a flip point's path as the index of the
 * alternative with that path; rejection reasons, step kinds and flip weights as their
 * index in a dictionary below. Version 2 rows stay as they are and still decode.
 */
const FORMAT_VERSION = 3
const V2 = 2

// Dictionaries of version 3: append only. A stored index means the name at that place
// for ever; a name not listed is stored as text.
const REJECTION_REASONS = [
  'other_vendor', 'keep_it_value_ceiling', 'entitlement', 'not_offered_for_wish', 'swap_out_of_range',
  'swap_needs_courier', 'no_stock', 'out_of_service_area', 'not_cosmetic', 'no_defect_to_repair',
  'no_channel_for_grade', 'not_repairable', 'no_capability', 'weight_limit', 'keep_it_risk_ceiling',
  'repair_not_economic', 'repair_capacity', 'no_exchange_sku', 'pinned_by_progress',
]
const STEP_KINDS = [
  'transit', 'receive_inspect', 'book_pickup', 'refund', 'dispose_restock_new', 'dispose_outlet_promotion',
  'ship_exchange', 'dispose_open_box_refurbish', 'store_credit', 'swap_at_door', 'drop_off', 'dispose_liquidate',
  'repair', 'return_repaired', 'self_ship', 'dispose_return_to_vendor', 'refund_returnless',
]
const WEIGHT_NAMES = ['cost', 'wait', 'co2', 'cx', 'risk']

type Named = number | string
const indexOf = (names: readonly string[]) => {
  const index = new Map(names.map((n, i) => [n, i]))
  return (name: string): Named => index.get(name) ?? name
}
const nameIn = (names: readonly string[]) => (x: Named): string => typeof x === 'number' ? names[x] : x
const reasonCode = indexOf(REJECTION_REASONS), reasonName = nameIn(REJECTION_REASONS)
const stepCode = indexOf(STEP_KINDS), stepName = nameIn(STEP_KINDS)
const weightCode = indexOf(WEIGHT_NAMES), weightName = nameIn(WEIGHT_NAMES)

/**
 * A stored decision's columns as a read returns them (sql/queries/decision-columns.sql
 * lists them for every read of decisions); decodeDecisionRow rebuilds the Decision.
 */
export const DecisionRow = z.object({
  decision_id: z.string(),
  rma_id: z.string(),
  line_index: z.coerce.number(),
  sku: z.string(),
  supersedes: z.string(),
  trigger: z.string(),
  decided_at: z.string(),
  resolution: z.string(),
  inbound_mode: z.string(),
  receiving_node_id: z.string(),
  exchange_source_node_id: z.string(),
  disposition: z.string(),
  net_cost: z.coerce.number(),
  recovery: z.coerce.number(),
  wait_hours: z.coerce.number(),
  co2_kg: z.coerce.number(),
  score: z.coerce.number(),
  candidates: z.coerce.number(),
  weights_version: z.coerce.number(),
  priority: z.coerce.number(),
  baseline_resolution: z.string(),
  baseline_disposition: z.string(),
  baseline_net_cost: z.coerce.number(),
  baseline_wait_hours: z.coerce.number(),
  baseline_co2_kg: z.coerce.number(),
  tracking_token: z.string(),
  payload: z.string(),
})
export type DecisionColumns = z.infer<typeof DecisionRow>

/** Money terms split out for analytics at insert time (no JSON parsing in the MVs). */
export interface CostTerms { logistics: number; handling: number; refunds: number; repair: number }

const LOGISTICS = 1, HANDLING = 2, REFUNDS = 4, REPAIR = 8
/**
 * The families of each factor name seen, as bits: every decision row looks up the same
 * dozen names, so they are lower-cased and searched once. Bounded, though the names are
 * the navigator's own.
 */
const familiesOfName = new Map<string, number>()

function familiesOf(key: string): number {
  let bits = familiesOfName.get(key)
  if (bits === undefined) {
    const k = key.toLowerCase()
    bits = (k.includes('logistic') ? LOGISTICS : 0) | (k.includes('handling') ? HANDLING : 0) | (k.includes('refund') ? REFUNDS : 0) | (k.includes('repair') ? REPAIR : 0)
    if (familiesOfName.size < 1024) familiesOfName.set(key, bits)
  }
  return bits
}

/** Breakdown factor names are matched by family, so a renamed or split factor still lands. */
export function costTermsOf(breakdown: Record<string, number>): CostTerms {
  let logistics = 0, handling = 0, refunds = 0, repair = 0
  for (const key of Object.keys(breakdown)) {
    const bits = familiesOf(key)
    if (bits === 0) continue
    const value = breakdown[key]
    if (bits & LOGISTICS) logistics += value
    if (bits & HANDLING) handling += value
    if (bits & REFUNDS) refunds += value
    if (bits & REPAIR) repair += value
  }
  return { logistics, handling, refunds, repair }
}

type Values = number[] | Record<string, number>
/** Refund timing; for an exchange 'advance' (shipped before the return arrives) or 'receipt' (on receipt); absent: neither. */
type PackedTiming = NonNullable<Decision['refundTiming']> | 'advance'
/** A path field (v3): 0 when it is the decision's own. */
type Field<T> = T | 0
type PackedPath = [Field<string>, Field<string>, Field<string | null>, Field<string | null>, Field<string>, 0 | 1, PackedTiming?]
/** Path, totals, then the breakdown: v2 every value, v3 [index, value, …] of those unlike the chosen path's; a record when its keys differ. */
type PackedAlternative = [Field<string>, Field<string>, Field<string | null>, Field<string | null>, Field<string>, 0 | 1, number, number, number, number, number, Values, PackedTiming?]
/** The path fields of the decision itself, which v3's 0 stands for. */
type Chosen = [string, string, string | null, string | null, string]

export interface StoredPayload {
  v: typeof FORMAT_VERSION | typeof V2
  /** steps: [kind (v3: or its index in STEP_KINDS), nodeId, etaHours, cost] */
  s: [Named, string | null, number, number][]
  /** breakdown keys of the chosen path (absent when they are STANDARD_FACTORS), then its values in that order */
  bk?: string[]
  /** 1: the keys are STANDARD_FACTORS then `capacity` (the bid-price term, issue 17) */
  bc?: 1
  b: number[]
  a: PackedAlternative[]
  /** flip points: [weight (v3: or its index), current, flipsAt, direction, path it flips to: [resolution, mode, receiving, source, disposition, swap] or (v3) the index of the alternative with that path] */
  f?: [Named, number, number, 'above' | 'below', (PackedPath | number)?][]
  /** rejections: v2 the record; v3 [reason or its index in REJECTION_REASONS, count, …] */
  r: Record<string, number> | Named[]
  /** tasks: [role, action, dueAt, nodeId, detail] */
  t: [Task['role'], string, string, string | null | undefined, Record<string, unknown> | undefined][]
  /** baseline fields without a column: [inboundMode, receivingNodeId, recovery, score] */
  bl: [string, string | null, number, number]
  sw?: 1
  /** refund timing / advance exchange of the chosen path */
  tm?: PackedTiming
  fl?: string[]
  q?: number
  rs?: Decision['reservations']
  /** rights and offers (v2): [wish, honoured], entitlement, offers */
  wi?: [string, 0 | 1]
  en?: Decision['entitlement']
  of?: Decision['offers']
}

/** Values in `keys` order when the record has exactly those keys (the usual case), else the record. */
function pack(record: Record<string, number>, keys: string[]): Values {
  if (!sameKeys(Object.keys(record), keys)) return record
  return keys.map((k) => record[k])
}

function unpack(values: Values, keys: string[]): Record<string, number> {
  if (!Array.isArray(values)) return values
  const out: Record<string, number> = {}
  keys.forEach((k, i) => { out[k] = values[i] })
  return out
}

/** A packed path with v3's zeros put back (v2 paths have none). */
function resolvePath(p: PackedPath, chosen: Chosen): PackedPath {
  return [
    p[0] === 0 ? chosen[0] : p[0], p[1] === 0 ? chosen[1] : p[1], p[2] === 0 ? chosen[2] : p[2],
    p[3] === 0 ? chosen[3] : p[3], p[4] === 0 ? chosen[4] : p[4], p[5], p[6],
  ]
}

function unpackPath([resolution, inboundMode, receivingNodeId, exchangeSourceNodeId, disposition, swap, timing]: PackedPath) {
  return {
    resolution: resolution as Decision['resolution'], inboundMode: inboundMode as Decision['inboundMode'],
    receivingNodeId: receivingNodeId as string | null, exchangeSourceNodeId: exchangeSourceNodeId as string | null,
    disposition: disposition as Decision['disposition'],
    ...(swap ? { swapAtDoor: true } : {}),
    ...unpackTiming(timing, resolution as string),
  }
}

function packTiming(p: { refundTiming?: Decision['refundTiming']; advanceExchange?: boolean }): PackedTiming | undefined {
  return p.refundTiming ?? (p.advanceExchange === undefined ? undefined : p.advanceExchange ? 'advance' : 'receipt')
}

function unpackTiming(t: PackedTiming | undefined, resolution: string): { refundTiming?: NonNullable<Decision['refundTiming']>; advanceExchange?: boolean } {
  if (t === undefined) return {}
  if (resolution === 'exchange') return { advanceExchange: t === 'advance' }
  return t === 'advance' ? {} : { refundTiming: t }
}

/** Appended only when present, so rows without it keep their shape. */
const withTiming = <T extends unknown[]>(packed: T, p: Parameters<typeof packTiming>[0]): T => {
  const t = packTiming(p)
  return (t === undefined ? packed : [...packed, t]) as T
}

/** The navigator's factor names in its order: stored once here instead of in every row. */
const STANDARD_FACTORS = ['logistics', 'handling', 'repair', 'refund', 'recovery', 'retained', 'wait', 'co2', 'cx', 'risk']
const WITH_CAPACITY = [...STANDARD_FACTORS, 'capacity']
const sameKeys = (a: string[], b: string[]) => a.length === b.length && a.every((k, i) => k === b[i])

const totalsOf = (t: number[]): DecisionTotals => ({ netCost: t[0], recovery: t[1], waitHours: t[2], co2Kg: t[3], score: t[4] })

/**
 * A node of a path as v3 packs it: 0 when it is the decision's own. Not for an empty id,
 * which the decision's column cannot tell from none.
 */
const packNode = (node: string | null, own: string | null): Field<string | null> => node === own && node !== '' ? 0 : node

/** A path as v3 packs it: each field equal to the decision's own as 0. */
function packPath(p: Pick<Decision, 'resolution' | 'inboundMode' | 'receivingNodeId' | 'exchangeSourceNodeId' | 'disposition' | 'swapAtDoor' | 'refundTiming' | 'advanceExchange'>, d: Decision): PackedPath {
  return withTiming<PackedPath>([
    p.resolution === d.resolution ? 0 : p.resolution, p.inboundMode === d.inboundMode ? 0 : p.inboundMode,
    packNode(p.receivingNodeId, d.receivingNodeId), packNode(p.exchangeSourceNodeId, d.exchangeSourceNodeId),
    p.disposition === d.disposition ? 0 : p.disposition, p.swapAtDoor ? 1 : 0,
  ], p)
}

const samePath = (a: PackedPath, b: readonly unknown[]) =>
  a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3] && a[4] === b[4] && a[5] === b[5] && a[6] === (b.length > 11 ? b[12] : b[6])

/** [index, value, …] of the values unlike `base`'s (an alternative's breakdown against the chosen path's). */
function changesFrom(values: number[], base: number[]): number[] {
  const out: number[] = []
  for (let i = 0; i < values.length; i++) if (values[i] !== base[i]) out.push(i, values[i])
  return out
}

function withChanges(base: number[], changes: number[]): number[] {
  const out = base.slice()
  for (let i = 0; i < changes.length; i += 2) out[changes[i]] = changes[i + 1]
  return out
}

/** The compact payload (rows.ts stores it as JSON text). */
export function compactDecisionPayload(d: Decision): StoredPayload {
  const keys = Object.keys(d.breakdown)
  const b = keys.map((k) => d.breakdown[k])
  const rejections: Named[] = []
  for (const reason of Object.keys(d.rejections)) rejections.push(reasonCode(reason), d.rejections[reason])
  const alternatives = d.alternatives.map((a): PackedAlternative => {
    const path = packPath(a, d)
    const values = pack(a.breakdown, keys)
    return [
      path[0], path[1], path[2], path[3], path[4], path[5],
      a.totals.netCost, a.totals.recovery, a.totals.waitHours, a.totals.co2Kg, a.totals.score,
      Array.isArray(values) ? changesFrom(values, b) : values,
      ...(path.length > 6 ? [path[6]] : []),
    ] as unknown as PackedAlternative
  })
  const payload: StoredPayload = {
    v: FORMAT_VERSION,
    s: d.steps.map((s) => [stepCode(s.kind), s.nodeId, s.etaHours, s.cost]),
    ...(sameKeys(keys, STANDARD_FACTORS) ? {} : sameKeys(keys, WITH_CAPACITY) ? { bc: 1 as const } : { bk: keys }),
    b,
    a: alternatives,
    r: rejections,
    t: d.tasks.map((t) => [t.role, t.action, t.dueAt, t.nodeId, t.detail]),
    bl: [d.baseline.inboundMode, d.baseline.receivingNodeId, d.baseline.totals.recovery, d.baseline.totals.score],
  }
  if (d.flipPoints) {
    payload.f = d.flipPoints.map((f) => {
      if (!f.to) return [weightCode(f.weight), f.current, f.flipsAt, f.direction]
      const to = packPath(f.to, d)
      const alternative = alternatives.findIndex((a) => samePath(to, a))
      return [weightCode(f.weight), f.current, f.flipsAt, f.direction, alternative >= 0 ? alternative : to]
    })
  }
  if (d.swapAtDoor) payload.sw = 1
  const tm = packTiming(d)
  if (tm) payload.tm = tm
  if (d.flags) payload.fl = d.flags
  if (d.qty !== undefined) payload.q = d.qty
  if (d.reservations) payload.rs = d.reservations
  if (d.wish !== undefined) payload.wi = [d.wish, d.wishHonoured ? 1 : 0]
  if (d.entitlement !== undefined) payload.en = d.entitlement
  if (d.offers !== undefined) payload.of = d.offers
  return payload
}

export function decodeDecisionRow(row: DecisionColumns): Decision {
  const p = JSON.parse(row.payload) as StoredPayload | Decision
  if (!('v' in p) || (p.v !== FORMAT_VERSION && p.v !== V2)) return p as Decision // written before the compact format
  const v3 = p.v === FORMAT_VERSION
  const keys = p.bk ?? (p.bc ? WITH_CAPACITY : STANDARD_FACTORS)
  const chosen: Chosen = [row.resolution, row.inbound_mode, row.receiving_node_id || null, row.exchange_source_node_id || null, row.disposition]
  const paths = p.a.map((a) => resolvePath([a[0], a[1], a[2], a[3], a[4], a[5], a[12]], chosen))
  const alternatives: Alternative[] = p.a.map((a, i) => ({
    ...unpackPath(paths[i]),
    totals: totalsOf(a.slice(6, 11) as number[]),
    breakdown: v3 && Array.isArray(a[11]) ? unpack(withChanges(p.b, a[11]), keys) : unpack(a[11], keys),
  }))
  const rejections: Record<string, number> = {}
  if (Array.isArray(p.r)) for (let i = 0; i < p.r.length; i += 2) rejections[reasonName(p.r[i])] = p.r[i + 1] as number
  const decision: Decision = {
    resolution: row.resolution as Decision['resolution'],
    inboundMode: row.inbound_mode as Decision['inboundMode'],
    receivingNodeId: row.receiving_node_id || null,
    exchangeSourceNodeId: row.exchange_source_node_id || null,
    disposition: row.disposition as Decision['disposition'],
    ...(p.sw ? { swapAtDoor: true } : {}),
    ...unpackTiming(p.tm, row.resolution),
    decisionId: row.decision_id,
    rmaId: row.rma_id,
    lineIndex: Number(row.line_index),
    sku: row.sku,
    ...(row.supersedes ? { supersedes: row.supersedes } : {}),
    trigger: row.trigger as NonNullable<Decision['trigger']>,
    decidedAt: new Date(chTimeToIso(row.decided_at)).toISOString(),
    steps: p.s.map(([kind, nodeId, etaHours, cost]) => ({ kind: stepName(kind), nodeId, etaHours, cost })),
    totals: { netCost: row.net_cost, recovery: row.recovery, waitHours: row.wait_hours, co2Kg: row.co2_kg, score: row.score },
    breakdown: unpack(p.b, keys),
    alternatives,
    ...(p.f ? {
      flipPoints: p.f.map(([weight, current, flipsAt, direction, to]) => ({
        weight: weightName(weight), current, flipsAt, direction,
        ...(to === undefined ? {} : { to: unpackPath(typeof to === 'number' ? paths[to] : resolvePath(to, chosen)) }),
      })),
    } : {}),
    rejections: Array.isArray(p.r) ? rejections : p.r,
    candidates: Number(row.candidates),
    weightsVersion: Number(row.weights_version),
    priority: row.priority,
    tasks: p.t.map(([role, action, dueAt, nodeId, detail]) => ({
      role, action, dueAt, ...(nodeId !== undefined ? { nodeId } : {}), ...(detail !== undefined ? { detail } : {}),
    })),
    trackingToken: row.tracking_token,
    ...(p.fl ? { flags: p.fl } : {}),
    baseline: {
      resolution: row.baseline_resolution as Decision['resolution'],
      inboundMode: p.bl[0] as Decision['inboundMode'],
      receivingNodeId: p.bl[1],
      disposition: row.baseline_disposition as Decision['disposition'],
      totals: { netCost: row.baseline_net_cost, recovery: p.bl[2], waitHours: row.baseline_wait_hours, co2Kg: row.baseline_co2_kg, score: p.bl[3] },
    },
    ...(p.q !== undefined ? { qty: p.q } : {}),
    ...(p.rs ? { reservations: p.rs } : {}),
    ...(p.wi ? { wish: p.wi[0] as NonNullable<Decision['wish']>, wishHonoured: p.wi[1] === 1 } : {}),
    ...(p.en !== undefined ? { entitlement: p.en } : {}),
    ...(p.of !== undefined ? { offers: p.of } : {}),
  }
  return decision
}

/** The decided_at column text of a Decision (shared by the row builder and tests). */
export const decidedAtColumn = (d: Decision) => toChTime(Date.parse(d.decidedAt))
