// One candidate path and its factors: the shape enumeration (candidates.ts) fills and
// scoring (score.ts) reads.
import type { RefundTiming } from '../contracts/decision.js'
import type { Disposition, InboundMode, Resolution } from '../contracts/enums.js'
import type { ChannelDisposition } from './network.js'
import type { RepairQuote } from './recovery.js'

export interface CostParts {
  inboundLogistics: number
  outboundLogistics: number
  /** Receiving + inspection + the disposition channel's own cost. */
  handling: number
  repair: number
  refundOutflow: number
  recovery: number
  retainedRevenue: number
}

export interface Timing {
  /** Hours after the decision: parcel with the carrier. */
  handoverH: number
  arrivalH: number
  inspectedH: number
  /** When the customer is made whole (refund, credit, replacement or repaired item delivered). */
  resolvedH: number
  /** Replacement leaves its node (exchange). */
  exchangeDepartH: number
}

export interface Candidate {
  resolution: Resolution
  inboundMode: InboundMode
  /** Node indexes, -1 for none. */
  receivingNode: number
  exchangeSource: number
  disposition: Disposition
  swapAtDoor: boolean
  /** Refund with a parcel coming back: when the money goes out; null otherwise. */
  refundTiming: RefundTiming | null
  /** Exchange shipped before the return arrives. */
  advanceExchange: boolean
  // The five factors the weights multiply (score = Σ λ_i · factor_i).
  netCost: number
  waitHours: number
  co2Kg: number
  /** 1 when the resolution is not what the customer asked for. */
  mismatch: number
  /** fraud/loss probability × exposed money. */
  riskExposure: number
  /** Σ bid price × use of scarce capacity (issue 17): added to the score as money, unweighted. */
  capacity: number
  parts: CostParts
  timing: Timing
  /** Channel per grade A–D at request time (recourse plan), when the item comes back. */
  plan: (ChannelDisposition | null)[] | null
  /** The recourse's expected refurbishment hours on the receiving node's bench (RecourseValue.expectedBenchHours). */
  recourseBenchHours: number
  /** Those hours at the bench's bid price (RecourseValue.expectedBenchCharge). */
  recourseBenchCharge: number
  repair: (RepairQuote & { queueDays: number }) | null
}

/** A candidate with every field present, for filling in place. */
export function blankCandidate(): Candidate {
  return {
    resolution: 'refund', inboundMode: 'none', receivingNode: -1, exchangeSource: -1, disposition: 'none', swapAtDoor: false,
    refundTiming: null, advanceExchange: false,
    netCost: 0, waitHours: 0, co2Kg: 0, mismatch: 0, riskExposure: 0, capacity: 0,
    parts: { inboundLogistics: 0, outboundLogistics: 0, handling: 0, repair: 0, refundOutflow: 0, recovery: 0, retainedRevenue: 0 },
    timing: { handoverH: 0, arrivalH: 0, inspectedH: 0, resolvedH: 0, exchangeDepartH: 0 },
    plan: null,
    recourseBenchHours: 0,
    recourseBenchCharge: 0,
    repair: null,
  }
}

/**
 * Candidate objects one decision reuses from the previous one (decide.ts). A line's
 * candidates are about half of what deciding it allocates, and they never outlive the
 * decision: what it keeps of them (paths, totals, breakdowns, reservations) is copied
 * out. So the objects of the last decision are refilled for the next one instead of
 * being left to the collector. Whoever holds the pool must not keep a candidate past
 * `reclaim()`; every other caller of the enumeration gets fresh objects.
 */
export class CandidatePool {
  private readonly objects: Candidate[] = []
  private used = 0

  /** A candidate to fill in place (buildCandidate sets every field). */
  take(): Candidate {
    if (this.used === this.objects.length) this.objects.push(blankCandidate())
    return this.objects[this.used++]
  }

  /**
   * Every object is free again. Their references to the last line's plan and repair quote
   * are dropped, so those die young instead of being kept alive by these old objects.
   */
  reclaim(): void {
    for (let i = 0; i < this.used; i++) {
      const c = this.objects[i]
      c.plan = null
      c.repair = null
    }
    this.used = 0
  }
}
