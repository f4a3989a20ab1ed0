// The Decision contract (shared/API.md): what the navigator returns and stores,
// one per return line.
import { z } from 'zod'
import { Disposition, InboundMode, Resolution, TaskRole, WantedResolution } from './enums.js'

export const DecisionStep = z.object({
  kind: z.string(), // e.g. book_pickup, transit, receive, inspect, repair, refund, ship_exchange, dispose
  nodeId: z.string().nullable(),
  etaHours: z.number(),
  cost: z.number(),
})

export const DecisionTotals = z.object({
  netCost: z.number(),
  recovery: z.number(),
  waitHours: z.number(),
  co2Kg: z.number(),
  score: z.number(),
})

/** Money-equivalent terms of the score; keys are factor names (logistics, handling, …). */
export const Breakdown = z.record(z.string(), z.number())

/** When a refund is paid: each is its own candidate, with its own wait and fraud exposure. */
export const RefundTiming = z.enum(['first_scan', 'receipt', 'inspection'])
export type RefundTiming = z.infer<typeof RefundTiming>

export const PathFields = z.object({
  resolution: Resolution,
  inboundMode: InboundMode,
  receivingNodeId: z.string().nullable(),
  exchangeSourceNodeId: z.string().nullable(),
  disposition: Disposition,
  /** Exchange only: the courier that collects the return delivers the replacement (one trip). */
  swapAtDoor: z.boolean().optional(),
  /**
   * Refund only: when the money goes out (docs/decision-model.md "Refund timing"): at the
   * carrier's first scan, on receipt at the node, or after inspection. Absent in
   * decisions stored before it was a choice.
   */
  refundTiming: RefundTiming.optional(),
  /** Exchange only: the replacement ships before the return arrives (absent: on receipt, or swap at the door). */
  advanceExchange: z.boolean().optional(),
})

export const Alternative = PathFields.extend({
  totals: DecisionTotals,
  breakdown: Breakdown,
})

export const FlipPoint = z.object({
  weight: z.string(), // λ name
  current: z.number(),
  /** The nearest value (in `direction`, inside the slider's range) at which any feasible candidate overtakes the chosen path. */
  flipsAt: z.number(),
  direction: z.enum(['above', 'below']),
  /** The path that wins just beyond `flipsAt` (absent in decisions stored before v2). */
  to: PathFields.optional(),
})

/** The statutory entitlement that applied to a line (docs/rights.md): its legal basis and what the customer may choose. */
export const Entitlement = z.object({
  basis: z.string(),
  allowed: z.array(Resolution),
})
export type Entitlement = z.infer<typeof Entitlement>

/** A better plan the customer may accept instead of what they asked for (never imposed). */
export const Offer = z.object({
  offerId: z.string(),
  resolution: Resolution,
  /** One line: the plan's path (mode, node, disposition). */
  summary: z.string(),
  /** What the customer is given for accepting (a share of the saving), in the network's currency. */
  incentive: z.number(),
  /** Expected value of making it (acceptance rate × (saving − incentive): the incentive is paid only on acceptance). */
  expectedValue: z.number(),
  expiresAt: z.string(),
})
export type Offer = z.infer<typeof Offer>

export const Task = z.object({
  role: TaskRole,
  action: z.string(),
  dueAt: z.string(), // ISO
  nodeId: z.string().nullable().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
})
export type Task = z.infer<typeof Task>

/**
 * Capacity a decision holds in the navigator's live state (stock of the replacement,
 * repair bench hours, vendor RTV quota). Stored with the decision so that the state can
 * be rebuilt on restart from the open decisions alone.
 */
export const DecisionReservations = z.object({
  stock: z.object({ nodeId: z.string(), sku: z.string(), qty: z.number().int() }).optional(),
  bench: z.object({ nodeId: z.string(), day: z.number().int(), hours: z.number() }).optional(),
  rtv: z.object({ vendorId: z.string(), period: z.number().int(), units: z.number().int() }).optional(),
  // v2 (issue 17): every scarce resource a plan uses is booked in a day slot.
  inspection: z.object({ nodeId: z.string(), day: z.number().int(), units: z.number().int() }).optional(),
  parts: z.object({ nodeId: z.string(), items: z.array(z.object({ partId: z.string(), qty: z.number().int() })) }).optional(),
  outlet: z.object({ nodeId: z.string(), day: z.number().int(), units: z.number().int() }).optional(),
})
export type DecisionReservations = z.infer<typeof DecisionReservations>

export const BaselineOutcome = z.object({
  resolution: Resolution,
  inboundMode: InboundMode,
  receivingNodeId: z.string().nullable(),
  disposition: Disposition,
  totals: DecisionTotals,
})

export const Decision = PathFields.extend({
  decisionId: z.string(),
  rmaId: z.string(),
  lineIndex: z.number().int(),
  sku: z.string(),
  supersedes: z.string().optional(),
  /** Why this decision exists: initial request, inspection, capacity loss. */
  trigger: z.enum(['requested', 'inspected', 'capacity_lost', 'cancelled', 'offer_accepted']).optional(),
  decidedAt: z.string(),
  steps: z.array(DecisionStep),
  totals: DecisionTotals,
  breakdown: Breakdown,
  alternatives: z.array(Alternative),
  flipPoints: z.array(FlipPoint).optional(),
  rejections: z.record(z.string(), z.number()),
  candidates: z.number().int(),
  weightsVersion: z.number().int(),
  priority: z.number(),
  tasks: z.array(Task),
  trackingToken: z.string(),
  /** Flags such as 'unknown_sku' (decided from line price and category defaults). */
  flags: z.array(z.string()).optional(),
  baseline: BaselineOutcome,
  /** Quantity of the line (reservations and re-decisions need it). */
  qty: z.number().int().optional(),
  reservations: DecisionReservations.optional(),
  /** The resolution the customer asked for, whether the plan gives it (or more), the entitlement that applied. Absent before v2. */
  wish: WantedResolution.optional(),
  wishHonoured: z.boolean().optional(),
  entitlement: Entitlement.nullable().optional(),
  /** Better plans offered to the customer (≤ 3; [] when none). */
  offers: z.array(Offer).optional(),
})
export type Decision = z.infer<typeof Decision>
export type DecisionTotals = z.infer<typeof DecisionTotals>
export type Alternative = z.infer<typeof Alternative>
export type BaselineOutcome = z.infer<typeof BaselineOutcome>
