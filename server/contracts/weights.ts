// Weights (λ's) and policy thresholds, versioned (shared/API.md "Changes").
import { z } from 'zod'
import { str } from './text.js'

export const WEIGHT_NAMES = ['cost', 'wait', 'co2', 'cx', 'risk'] as const
export const Weights = z.strictObject({
  /** Multiplier on net cost (1 = money counts as money). */
  cost: z.number().min(0).max(100),
  /** Money per hour of customer wait (λ_wait). */
  wait: z.number().min(0).max(1000),
  /** Money per kg CO2 (λ_co2); default is the carbon price. */
  co2: z.number().min(0).max(10_000),
  /** Money penalty when the resolution differs from what the customer asked for (λ_cx). */
  cx: z.number().min(0).max(100_000),
  /** Money per unit of fraud-risk × exposure (λ_risk). */
  risk: z.number().min(0).max(100),
})
export type Weights = z.infer<typeof Weights>
export type WeightName = (typeof WEIGHT_NAMES)[number]

/**
 * The range each weight's slider covers in the routing view (the contract allows more):
 * decisions report their flip points inside it.
 */
export const WEIGHT_SLIDER_RANGES: Readonly<Record<WeightName, { min: number; max: number }>> = Object.freeze({
  cost: { min: 0, max: 3 },
  wait: { min: 0, max: 20 },
  co2: { min: 0, max: 10 },
  cx: { min: 0, max: 300 },
  risk: { min: 0, max: 10 },
})

/**
 * The statutory rights that bind a decision (docs/rights.md). Day counts default per
 * jurisdiction (rights.ts) and may be edited.
 */
export const Jurisdiction = z.strictObject({
  code: z.enum(['cn', 'eu', 'uk', 'none']),
  /** No-reason return / withdrawal: CN 7, EU 14, UK 14. */
  withdrawalDays: z.number().int().min(0).max(3650).optional(),
  /** Faulty goods, refund at the customer's choice: CN 7 (三包, CPL art. 24), UK 30 (short-term right to reject), EU 0. */
  faultRefundDays: z.number().int().min(0).max(3650).optional(),
  /** Faulty goods, exchange or repair at the customer's choice: CN 15 (三包). */
  faultExchangeDays: z.number().int().min(0).max(3650).optional(),
  /** Guarantee: CN 365 (三包 repair), EU 730 (repair or replacement), UK 2190 (repair or replacement). */
  guaranteeDays: z.number().int().min(0).max(36500).optional(),
  /** Failed repairs after which exchange or refund is owed: CN 2 (三包), EU/UK 1. */
  failedRepairsForRefund: z.number().int().min(1).max(10).optional(),
  /** CN: categories under 三包 (beyond 15 days only repair within the guarantee; others exchange or repair). */
  sanbaoCategories: z.array(str().max(64)).max(100).optional(),
})
export type Jurisdiction = z.infer<typeof Jurisdiction>

export const Policy = z.strictObject({
  returnWindowDays: z.number().int().min(0).max(3650),
  keepItMaxValue: z.number().min(0).max(1_000_000),
  keepItMaxRisk: z.number().min(0).max(1),
  storeCreditBreakage: z.number().min(0).max(0.9),
  repairMaxShareOfValue: z.number().min(0).max(2),
  instantRefundTrustedOnly: z.boolean(),
  nonReturnableCategories: z.array(str().max(64)).max(100),
  /** Statutory rights (default: CN). */
  jurisdiction: Jurisdiction.optional(),
  /** Share of an offer's saving given to the customer who accepts it. */
  offerIncentiveShare: z.number().min(0).max(1).optional(),
  /** Acceptance rate assumed per offer type before any answer is seen, and its weight in answers. */
  offerAcceptancePrior: z.number().min(0).max(1).optional(),
  offerPriorStrength: z.number().min(0).max(10_000).optional(),
  /**
   * Share of the lines an offer fits on which it is still made when its expected value is
   * not positive (an acceptance rate of 0, or an incentive of the whole saving), so its
   * acceptance rate keeps being learned (0 turns exploration off).
   */
  offerExplorationShare: z.number().min(0).max(1).optional(),
  /**
   * Offers also on lines whose customer is entitled to the wish (default true): the line
   * is still decided as asked; the offer is an alternative the customer may accept.
   */
  offersToEntitled: z.boolean().optional(),
  offerExpiryHours: z.number().min(1).max(24 * 90).optional(),
})
export type Policy = z.infer<typeof Policy>

export const WeightsVersion = z.object({
  version: z.number().int(),
  author: z.string(),
  createdAt: z.string(),
  comment: z.string().optional(),
  weights: Weights,
  policy: Policy,
})
export type WeightsVersion = z.infer<typeof WeightsVersion>

export const WeightsChange = z.strictObject({
  weights: Weights.partial().strict().optional(),
  policy: Policy.partial().strict().optional(),
  comment: str().max(500).optional(),
})
export type WeightsChange = z.infer<typeof WeightsChange>
