// Weights (λ's) and policy thresholds, versioned (shared/API.md "Changes").
import { z } from 'zod'

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

export const Policy = z.strictObject({
  returnWindowDays: z.number().int().min(0).max(3650),
  keepItMaxValue: z.number().min(0).max(1_000_000),
  keepItMaxRisk: z.number().min(0).max(1),
  storeCreditBreakage: z.number().min(0).max(0.9),
  repairMaxShareOfValue: z.number().min(0).max(2),
  instantRefundTrustedOnly: z.boolean(),
  nonReturnableCategories: z.array(z.string().max(64)).max(100),
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
  comment: z.string().max(500).optional(),
})
export type WeightsChange = z.infer<typeof WeightsChange>
