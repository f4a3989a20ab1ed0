// How a Decision is stored: typed columns plus a compact payload holding only what the
// columns do not. Why: the embedded store's insert cost grows with the bytes inserted,
// whatever the input format, and the full Decision JSON, mostly repeated keys, was most
// of every ingested return's bytes (sizes and cost per byte: docs/benchmarks.md).
// Readers select the columns of DecisionRow and decode; rows written before this format
// (payload = the whole Decision JSON) still decode.
import type { Alternative, Decision, DecisionTotals, Task } from '../contracts/decision.js'
import { z } from 'zod'
import { chTimeToIso, toChTime } from './query.js'

const FORMAT_VERSION = 2

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
type PackedPath = [string, string, string | null, string | null, string, 0 | 1, PackedTiming?]
type PackedAlternative = [string, string, string | null, string | null, string, 0 | 1, number, number, number, number, number, Values, PackedTiming?]

export interface StoredPayload {
  v: typeof FORMAT_VERSION
  /** steps: [kind, nodeId, etaHours, cost] */
  s: [string, string | null, number, number][]
  /** breakdown keys of the chosen path (absent when they are STANDARD_FACTORS), then its values in that order */
  bk?: string[]
  /** 1: the keys are STANDARD_FACTORS then `capacity` (the bid-price term, issue 17) */
  bc?: 1
  b: number[]
  a: PackedAlternative[]
  /** flip points: [weight, current, flipsAt, direction, path it flips to: [resolution, mode, receiving, source, disposition, swap]] */
  f?: [string, number, number, 'above' | 'below', PackedPath?][]
  r: Record<string, number>
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

function unpackPath([resolution, inboundMode, receivingNodeId, exchangeSourceNodeId, disposition, swap, timing]: PackedPath) {
  return {
    resolution: resolution as Decision['resolution'], inboundMode: inboundMode as Decision['inboundMode'],
    receivingNodeId, exchangeSourceNodeId, disposition: disposition as Decision['disposition'],
    ...(swap ? { swapAtDoor: true } : {}),
    ...unpackTiming(timing, resolution),
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

/** The compact payload (rows.ts stores it as JSON text). */
export function compactDecisionPayload(d: Decision): StoredPayload {
  const keys = Object.keys(d.breakdown)
  const payload: StoredPayload = {
    v: FORMAT_VERSION,
    s: d.steps.map((s) => [s.kind, s.nodeId, s.etaHours, s.cost]),
    ...(sameKeys(keys, STANDARD_FACTORS) ? {} : sameKeys(keys, WITH_CAPACITY) ? { bc: 1 as const } : { bk: keys }),
    b: keys.map((k) => d.breakdown[k]),
    a: d.alternatives.map((a) => withTiming<PackedAlternative>([
      a.resolution, a.inboundMode, a.receivingNodeId, a.exchangeSourceNodeId, a.disposition, a.swapAtDoor ? 1 : 0,
      a.totals.netCost, a.totals.recovery, a.totals.waitHours, a.totals.co2Kg, a.totals.score, pack(a.breakdown, keys),
    ], a)),
    r: d.rejections,
    t: d.tasks.map((t) => [t.role, t.action, t.dueAt, t.nodeId, t.detail]),
    bl: [d.baseline.inboundMode, d.baseline.receivingNodeId, d.baseline.totals.recovery, d.baseline.totals.score],
  }
  if (d.flipPoints) {
    payload.f = d.flipPoints.map((f) => f.to
      ? [f.weight, f.current, f.flipsAt, f.direction, withTiming<PackedPath>([f.to.resolution, f.to.inboundMode, f.to.receivingNodeId, f.to.exchangeSourceNodeId, f.to.disposition, f.to.swapAtDoor ? 1 : 0], f.to)]
      : [f.weight, f.current, f.flipsAt, f.direction])
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
  if (!('v' in p) || p.v !== FORMAT_VERSION) return p as Decision // written before the compact format
  const keys = p.bk ?? (p.bc ? WITH_CAPACITY : STANDARD_FACTORS)
  const alternatives: Alternative[] = p.a.map((a) => ({
    resolution: a[0] as Alternative['resolution'],
    inboundMode: a[1] as Alternative['inboundMode'],
    receivingNodeId: a[2],
    exchangeSourceNodeId: a[3],
    disposition: a[4] as Alternative['disposition'],
    ...(a[5] ? { swapAtDoor: true } : {}),
    ...unpackTiming(a[12], a[0]),
    totals: totalsOf(a.slice(6, 11) as number[]),
    breakdown: unpack(a[11], keys),
  }))
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
    steps: p.s.map(([kind, nodeId, etaHours, cost]) => ({ kind, nodeId, etaHours, cost })),
    totals: { netCost: row.net_cost, recovery: row.recovery, waitHours: row.wait_hours, co2Kg: row.co2_kg, score: row.score },
    breakdown: unpack(p.b, keys),
    alternatives,
    ...(p.f ? { flipPoints: p.f.map(([weight, current, flipsAt, direction, to]) => ({ weight, current, flipsAt, direction, ...(to ? { to: unpackPath(to) } : {}) })) } : {}),
    rejections: p.r,
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
