// The network model: nodes, inbound/outbound modes, disposition channels, repair,
// vendor terms, policies, category defaults and the catalog. One zod-validated JSON
// document (NETWORK_FILE); `loadNetwork` validates it and builds the index the hot
// loop reads (node positions as numbers, channel lists per node, maps by id).
// Pure: no file reading here (see network-file.ts).
import { z } from 'zod'
import { CatalogItem } from '../contracts/events.js'
import {
  CONDITIONS, Condition, GRADES, Grade, LIFECYCLES, RETURN_REASONS, Resolution, ReturnReason,
  WANTED_RESOLUTIONS, WantedResolution,
} from '../contracts/enums.js'
import { Policy } from '../contracts/weights.js'

export const CAPABILITIES = [
  'inspect', 'restock', 'refurbish', 'repair', 'outlet', 'liquidate', 'recycle', 'rtv', 'ship_exchange',
] as const
export const Capability = z.enum(CAPABILITIES)
export type Capability = z.infer<typeof Capability>

export const NODE_KINDS = ['warehouse', 'returns_centre', 'repair_centre', 'drop_off', 'vendor'] as const
export const NodeKind = z.enum(NODE_KINDS)
export type NodeKind = z.infer<typeof NodeKind>

/** The channels an item can leave through after inspection ('none' is not a channel). */
export const CHANNEL_DISPOSITIONS = [
  'restock_new', 'open_box_refurbish', 'outlet_promotion', 'return_to_vendor', 'liquidate', 'recycle',
] as const
export const ChannelDisposition = z.enum(CHANNEL_DISPOSITIONS)
export type ChannelDisposition = z.infer<typeof ChannelDisposition>

export const RETURN_MODES = ['courier_pickup', 'drop_off', 'self_ship'] as const
export const ReturnMode = z.enum(RETURN_MODES)
export type ReturnMode = z.infer<typeof ReturnMode>

const money = z.number().finite().min(0).max(10_000_000)
const share = z.number().finite().min(0).max(1)
const hours = z.number().finite().min(0).max(24 * 365)
const nonNeg = z.number().finite().min(0)
const nodeId = z.string().min(1).max(64)

/** Four non-negative numbers, one per grade A–D (probabilities, pseudo-counts or likelihoods). */
export const PerGrade = z.strictObject({ A: nonNeg, B: nonNeg, C: nonNeg, D: nonNeg })
export type PerGrade = z.infer<typeof PerGrade>

export const NetworkNode = z.strictObject({
  id: nodeId,
  name: z.string().min(1).max(200),
  kind: NodeKind,
  city: z.string().max(100).optional(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  capabilities: z.array(Capability).max(CAPABILITIES.length),
  /** The main warehouse (the fallback receiving node). Exactly one node is central. */
  central: z.boolean().default(false),
  /** For kind vendor: whose returns this node accepts. */
  vendorId: z.string().max(64).optional(),
  repairBenchHoursPerDay: nonNeg.default(0),
  /** Product types whose parts this bench stocks. */
  repairProductTypes: z.array(z.string().max(64)).default([]),
  /** Receiving + inspection throughput; 0: not limited (files written before it was enforced). */
  inspectionsPerDay: z.number().int().min(0).default(0),
  /** Units the node's outlet channel takes per day; absent: not limited. */
  outletUnitsPerDay: z.number().int().min(0).optional(),
  /** Dock-to-inspection lead time (queue + receiving). */
  dockToInspectHours: hours.default(12),
  /** Pick and pack time for an outbound shipment (exchange, repaired item). */
  pickPackHours: hours.default(4),
  handling: z.strictObject({ receive: money, inspect: money }),
  /** Multiplies handling, channel and labour costs (labour is dearer in Shanghai than in Chengdu). */
  labourCostFactor: z.number().positive().max(10).default(1),
})
export type NetworkNode = z.infer<typeof NetworkNode>

export const InboundModeSpec = z.strictObject({
  mode: ReturnMode,
  /** cost = base + perKg × weight + perKm × road distance */
  base: money,
  perKg: money,
  perKm: money,
  /** Time from the decision until the parcel is with the carrier. */
  handoverHours: hours,
  /** Hub sorting and line-haul waits, independent of distance. */
  sortHours: hours,
  speedKmh: z.number().positive().max(2000),
  maxWeightKg: z.number().positive().max(5000),
  /** Customer must be within this road distance of a node of one of `coverageKinds`. */
  serviceRadiusKm: z.number().positive().max(50_000),
  coverageKinds: z.array(NodeKind).min(1),
  co2PerKgKm: nonNeg,
  /** Fixed CO2 of the first mile (a dedicated van stop, the customer's trip to a station). */
  co2PerStopKg: nonNeg,
  /** Share of the value exposed to fraud/loss before the item is checked (courier checks at the door). */
  riskFactor: share,
  /** When true, customer-fault returns pay this leg themselves (not a merchant cost). */
  customerPaysNonFault: z.boolean().default(false),
})
export type InboundModeSpec = z.infer<typeof InboundModeSpec>

export const OutboundSpec = z.strictObject({
  base: money, perKg: money, perKm: money,
  sortHours: hours,
  speedKmh: z.number().positive().max(2000),
  co2PerKgKm: nonNeg,
  co2PerStopKg: nonNeg,
})
export type OutboundSpec = z.infer<typeof OutboundSpec>

export const SwapAtDoorSpec = z.strictObject({
  /** Only same-city: the courier carries the replacement out and the return back in one trip. */
  maxKm: nonNeg,
  surcharge: money,
  leadHours: hours,
})

export const ChannelSpec = z.strictObject({
  disposition: ChannelDisposition,
  requires: Capability,
  acceptsGrades: z.array(z.enum(GRADES)).min(1),
  /** Share of the resale basis recovered, by grade (for return_to_vendor the vendor terms apply instead). */
  rateByGrade: PerGrade,
  lifecycleFactor: z.strictObject({ current: share, outdated: share, discontinued: share }),
  categoryFactor: z.record(z.string(), z.number().min(0).max(2)).default({}),
  costPerUnit: money,
  costShareOfPrice: share.default(0),
  /** Time from inspection until the value is realised (decay runs until then). */
  daysToResale: z.number().min(0).max(365),
  /** Grades that need a repair (parts + bench hours) before this channel can take them. */
  needsRepairForGrades: z.array(z.enum(GRADES)).default([]),
})
export type ChannelSpec = z.infer<typeof ChannelSpec>

export const RepairSpec = z.strictObject({
  labourRatePerHour: money,
  productTypes: z.record(z.string(), z.strictObject({
    parts: z.array(z.strictObject({ id: z.string().max(64), name: z.string().max(200), cost: money })).max(50),
    labourHours: z.number().positive().max(200),
    /** Bench queue + test, on top of labour. */
    turnaroundHours: hours,
  })),
})
export type RepairSpec = z.infer<typeof RepairSpec>

export const VendorTerms = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().max(200),
  nodeId,
  rtvWindowDays: z.number().int().min(0).max(3650),
  quotaUnitsPerPeriod: z.number().int().min(0),
  periodDays: z.number().int().min(1).max(366),
  creditShareOfCost: share,
  acceptsGrades: z.array(z.enum(GRADES)).min(1),
  adminCostPerUnit: money,
})
export type VendorTerms = z.infer<typeof VendorTerms>

const GradePriorsByCondition = z.strictObject(
  Object.fromEntries(CONDITIONS.map((c) => [c, PerGrade])) as Record<Condition, typeof PerGrade>,
)

export const CategoryDefaults = z.strictObject({
  defaultPrice: money,
  /** Cost of goods as a share of price, when the catalog has no cost. */
  costShare: share,
  weightKg: z.number().positive().max(2000),
  returnRatePrior: share,
  /** Value lost per week in the pipeline (priority = price × this / 168). */
  decayPerWeek: z.number().min(0).max(0.99),
  gradePriors: GradePriorsByCondition,
  /** Pseudo-count weight of the prior against observed inspections. */
  priorStrength: z.number().positive().max(10_000).default(20),
})
export type CategoryDefaults = z.infer<typeof CategoryDefaults>

export const Rules = z.strictObject({
  roadFactor: z.number().min(1).max(3),
  /** Hours east of UTC: capacity days (bench hours, RTV periods) follow the local calendar. */
  timezoneOffsetHours: z.number().min(-12).max(14),
  safetyStock: z.number().int().min(0),
  refundProcessingHours: hours,
  partialRefundShare: share,
  partialRefundReasons: z.array(ReturnReason),
  partialRefundConditions: z.array(Condition),
  repairReasons: z.array(ReturnReason),
  repairConditions: z.array(Condition),
  fraudRiskByReason: z.record(ReturnReason, share),
  trustedRiskFactor: share,
  advanceExchangeTrustedOnly: z.boolean(),
  /**
   * Share of a bad return's exposure still open once the parcel is received at the dock
   * (scan and weight catch empty boxes and missing parcels; substitutes and wear wait for
   * inspection): the risk of a refund on receipt or an exchange shipped on receipt is the
   * first-scan exposure × this. 0.5 is an assumption (docs/decision-model.md).
   */
  receiptExposureShare: share.default(0.5),
  /** Which resolutions may be offered for each wish (a customer who asks for a refund is not pushed to store credit). */
  offerable: z.record(WantedResolution, z.array(Resolution).min(1)),
  /** Multiplies the condition prior: a reason shifts the grade (defective claims are more often C/D). */
  reasonGradeLikelihood: z.partialRecord(ReturnReason, PerGrade),
  /** Days a bench reservation may slip when the arrival day is full. */
  benchLookaheadDays: z.number().int().min(0).max(14),
  unknownSkuCategory: z.string().min(1).max(64),
  skuPrefixCategories: z.record(z.string(), z.string()).default({}),
})
export type Rules = z.infer<typeof Rules>

export const NetworkFile = z.strictObject({
  _notes: z.array(z.string()).optional(),
  version: z.string().max(64),
  currency: z.string().length(3),
  nodes: z.array(NetworkNode).min(1).max(1000),
  inboundModes: z.array(InboundModeSpec).min(1).max(RETURN_MODES.length),
  outbound: OutboundSpec,
  swapAtDoor: SwapAtDoorSpec,
  channels: z.array(ChannelSpec).min(1).max(CHANNEL_DISPOSITIONS.length),
  repair: RepairSpec,
  vendors: z.array(VendorTerms).max(10_000),
  policy: Policy,
  rules: Rules,
  categories: z.record(z.string(), CategoryDefaults),
  catalog: z.array(CatalogItem).max(1_000_000),
}).superRefine((net, ctx) => {
  const ids = new Set<string>()
  for (const [i, n] of net.nodes.entries()) {
    if (ids.has(n.id)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `duplicate node id ${n.id}` })
    ids.add(n.id)
  }
  const centrals = net.nodes.filter((n) => n.central).length
  if (centrals !== 1) ctx.addIssue({ code: 'custom', path: ['nodes'], message: `exactly one central node needed, found ${centrals}` })
  const modes = new Set<string>()
  for (const [i, m] of net.inboundModes.entries()) {
    if (modes.has(m.mode)) ctx.addIssue({ code: 'custom', path: ['inboundModes', i], message: `duplicate mode ${m.mode}` })
    modes.add(m.mode)
  }
  const channels = new Set<string>()
  for (const [i, c] of net.channels.entries()) {
    if (channels.has(c.disposition)) ctx.addIssue({ code: 'custom', path: ['channels', i], message: `duplicate channel ${c.disposition}` })
    channels.add(c.disposition)
  }
  const vendorIds = new Set(net.vendors.map((v) => v.id))
  for (const [i, v] of net.vendors.entries()) {
    if (!ids.has(v.nodeId)) ctx.addIssue({ code: 'custom', path: ['vendors', i, 'nodeId'], message: `unknown node ${v.nodeId}` })
  }
  if (!(net.rules.unknownSkuCategory in net.categories)) {
    ctx.addIssue({ code: 'custom', path: ['rules', 'unknownSkuCategory'], message: 'not a category' })
  }
  const skus = new Set<string>()
  for (const [i, item] of net.catalog.entries()) {
    if (skus.has(item.sku)) ctx.addIssue({ code: 'custom', path: ['catalog', i, 'sku'], message: `duplicate sku ${item.sku}` })
    skus.add(item.sku)
    if (!(item.category in net.categories)) ctx.addIssue({ code: 'custom', path: ['catalog', i, 'category'], message: `unknown category ${item.category}` })
    if (item.vendorId && !vendorIds.has(item.vendorId)) ctx.addIssue({ code: 'custom', path: ['catalog', i, 'vendorId'], message: `unknown vendor ${item.vendorId}` })
  }
})
export type NetworkFile = z.infer<typeof NetworkFile>
export type NetworkFileInput = z.input<typeof NetworkFile>

export const GRADE_INDEX: Record<Grade, number> = { A: 0, B: 1, C: 2, D: 3 }

/** The validated network plus the indexes the decision loop reads. Immutable once built. */
export interface Network {
  readonly file: NetworkFile
  readonly nodes: readonly NetworkNode[]
  readonly nodeIndex: ReadonlyMap<string, number>
  readonly centralIndex: number
  /** Nodes that can receive returns (capability inspect). */
  readonly receivingNodes: readonly number[]
  /** Nodes that can ship a replacement (capability ship_exchange). */
  readonly exchangeNodes: readonly number[]
  readonly modes: readonly InboundModeSpec[]
  readonly channels: readonly ChannelSpec[]
  /** Channel indices whose capability each node has, in the file's channel order. */
  readonly channelsByNode: readonly (readonly number[])[]
  readonly vendors: ReadonlyMap<string, VendorTerms>
  readonly catalog: ReadonlyMap<string, CatalogItem>
  readonly categories: ReadonlyMap<string, CategoryDefaults>
  /** Per node, a bit set of capabilities for O(1) checks. */
  readonly capabilityBits: readonly number[]
}

export function capabilityBit(c: Capability): number {
  return 1 << CAPABILITIES.indexOf(c)
}

export function hasCapability(net: Network, nodeIdx: number, c: Capability): boolean {
  return (net.capabilityBits[nodeIdx] & capabilityBit(c)) !== 0
}

export type LoadResult =
  | { ok: true; network: Network }
  | { ok: false; errors: { path: string; message: string }[] }

/** Validate a parsed JSON document and build the index; failures come back as values. */
export function loadNetwork(json: unknown): LoadResult {
  const parsed = NetworkFile.safeParse(json)
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }
  }
  return { ok: true, network: indexNetwork(parsed.data) }
}

/** Like loadNetwork but throws with every issue listed: for start-up and tests. */
export function loadNetworkOrThrow(json: unknown): Network {
  const r = loadNetwork(json)
  if (!r.ok) throw new Error(`invalid network: ${r.errors.slice(0, 20).map((e) => `${e.path}: ${e.message}`).join('; ')}`)
  return r.network
}

function indexNetwork(file: NetworkFile): Network {
  const nodes = file.nodes
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]))
  const capabilityBits = nodes.map((n) => n.capabilities.reduce((bits, c) => bits | capabilityBit(c), 0))
  const has = (i: number, c: Capability) => (capabilityBits[i] & capabilityBit(c)) !== 0
  const receivingNodes = nodes.map((_, i) => i).filter((i) => has(i, 'inspect'))
  const exchangeNodes = nodes.map((_, i) => i).filter((i) => has(i, 'ship_exchange'))
  // Mode order is fixed (RETURN_MODES) so enumeration order never depends on the file's order.
  const modes = [...file.inboundModes].sort((a, b) => RETURN_MODES.indexOf(a.mode) - RETURN_MODES.indexOf(b.mode))
  const channels = [...file.channels].sort((a, b) =>
    CHANNEL_DISPOSITIONS.indexOf(a.disposition) - CHANNEL_DISPOSITIONS.indexOf(b.disposition))
  const channelsByNode = nodes.map((_, i) => channels.map((c, ci) => (has(i, c.requires) ? ci : -1)).filter((ci) => ci >= 0))
  return {
    file,
    nodes,
    nodeIndex,
    centralIndex: nodes.findIndex((n) => n.central),
    receivingNodes,
    exchangeNodes,
    modes,
    channels,
    channelsByNode,
    vendors: new Map(file.vendors.map((v) => [v.id, v])),
    catalog: new Map(file.catalog.map((c) => [c.sku, c])),
    categories: new Map(Object.entries(file.categories)),
    capabilityBits,
  }
}

// Re-exported for generators and tests that build networks.
export { CONDITIONS, GRADES, LIFECYCLES, RETURN_REASONS, WANTED_RESOLUTIONS }
export type { Condition, Grade, ReturnReason, WantedResolution }
