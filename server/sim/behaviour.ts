// How customers return things, by category: reasons, reported condition, what they ask
// for, when they ask. The shares are assumptions shaped after public return-reason
// surveys (fit/size dominates fashion returns; defects and "not as described" dominate
// electronics; transit damage matters for home goods) — plausible, not measured.
import type { CategoryDefaults, Rules } from '../navigator/network.js'
import type { Condition, Grade, ReturnReason, WantedResolution } from '../contracts/enums.js'
import { logNormal, weighted, type Rng } from './random.js'

type Table<T> = readonly (readonly [T, number])[]

/** Used when the network's category has no returnRatePrior entry of its own (DECISION-MODEL.md). */
export const RETURN_RATE_PRIORS: Readonly<Record<string, number>> = {
  apparel: 0.30, footwear: 0.22, electronics: 0.10, home: 0.07, beauty: 0.05,
}

const REASONS: Record<string, Table<ReturnReason>> = {
  apparel: [['size_too_small', 26], ['size_too_large', 22], ['not_as_described', 14], ['changed_mind', 15],
    ['defective', 5], ['damaged_in_transit', 3], ['wrong_item', 3], ['late_delivery', 3], ['better_price', 4], ['other', 5]],
  footwear: [['size_too_small', 28], ['size_too_large', 22], ['not_as_described', 12], ['changed_mind', 13],
    ['defective', 8], ['damaged_in_transit', 4], ['wrong_item', 3], ['late_delivery', 3], ['better_price', 3], ['other', 4]],
  electronics: [['defective', 30], ['not_as_described', 18], ['changed_mind', 22], ['damaged_in_transit', 8],
    ['wrong_item', 4], ['better_price', 8], ['late_delivery', 4], ['other', 6]],
  home: [['damaged_in_transit', 22], ['not_as_described', 22], ['changed_mind', 20], ['defective', 12],
    ['wrong_item', 6], ['better_price', 6], ['late_delivery', 4], ['other', 8]],
  beauty: [['changed_mind', 30], ['not_as_described', 20], ['damaged_in_transit', 18], ['defective', 8],
    ['wrong_item', 6], ['better_price', 6], ['other', 12]],
}
const DEFAULT_REASONS: Table<ReturnReason> = [['changed_mind', 35], ['not_as_described', 20], ['defective', 15],
  ['damaged_in_transit', 10], ['wrong_item', 5], ['better_price', 5], ['other', 10]]

const CONDITIONS: Record<ReturnReason, Table<Condition>> = {
  size_too_small: [['unopened', 30], ['like_new', 60], ['used', 10]],
  size_too_large: [['unopened', 30], ['like_new', 60], ['used', 10]],
  changed_mind: [['unopened', 45], ['like_new', 45], ['used', 10]],
  better_price: [['unopened', 70], ['like_new', 30]],
  late_delivery: [['unopened', 80], ['like_new', 20]],
  defective: [['defective', 75], ['used', 20], ['like_new', 5]],
  damaged_in_transit: [['damaged', 85], ['like_new', 10], ['unopened', 5]],
  not_as_described: [['like_new', 55], ['unopened', 20], ['used', 25]],
  wrong_item: [['unopened', 70], ['like_new', 30]],
  other: [['like_new', 40], ['used', 40], ['damaged', 20]],
}

const REASON_TEXT: Partial<Record<ReturnReason, readonly string[]>> = {
  size_too_small: ['偏小一码', 'runs small', '太紧了'],
  size_too_large: ['偏大', 'too loose', '尺码偏大一码'],
  defective: ['无法开机', 'stopped working after 2 days', '有异响', 'does not charge'],
  damaged_in_transit: ['外包装破损', 'box crushed on arrival', '到货破损'],
  not_as_described: ['颜色和图片不一样', 'material feels different', '与描述不符'],
  changed_mind: ['不想要了', 'bought a different one'],
}

export function reasonTable(category: string): Table<ReturnReason> {
  return REASONS[category] ?? DEFAULT_REASONS
}

export function drawReason(rng: Rng, category: string): ReturnReason {
  return weighted(rng, reasonTable(category))
}

export function drawCondition(rng: Rng, reason: ReturnReason): Condition {
  return weighted(rng, CONDITIONS[reason])
}

export function drawReasonText(rng: Rng, reason: ReturnReason): string | undefined {
  const texts = REASON_TEXT[reason]
  // Most customers pick a reason from the list and write nothing.
  return texts && rng() < 0.3 ? texts[Math.floor(rng() * texts.length)] : undefined
}

export function isSizeReason(reason: ReturnReason): reason is 'size_too_small' | 'size_too_large' {
  return reason === 'size_too_small' || reason === 'size_too_large'
}

const MERCHANT_FAULT = new Set<ReturnReason>(['defective', 'damaged_in_transit', 'wrong_item', 'not_as_described'])

export interface Wish { wants: WantedResolution; exchangeSku?: string }

/**
 * What the customer asks for. A size reason mostly wants the neighbouring size when the
 * catalog has one; a fault mostly wants the same item again (or a repair if repairable).
 */
export function drawWish(rng: Rng, reason: ReturnReason, sku: string, repairable: boolean, nextSize: string | undefined): Wish {
  if (isSizeReason(reason)) {
    if (rng() < 0.6) {
      // A catalog without size variants per SKU keeps sizes below SKU level: the
      // exchange is then for the same SKU (another size of it).
      return { wants: 'exchange', exchangeSku: nextSize ?? sku }
    }
    return { wants: rng() < 0.85 ? 'refund' : 'store_credit' }
  }
  if (reason === 'defective') {
    const w = weighted<WantedResolution>(rng, repairable
      ? [['repair', 30], ['exchange', 30], ['refund', 40]]
      : [['exchange', 40], ['refund', 60]])
    return w === 'exchange' ? { wants: w, exchangeSku: sku } : { wants: w }
  }
  if (reason === 'damaged_in_transit' || reason === 'wrong_item') {
    return rng() < 0.4 ? { wants: 'exchange', exchangeSku: sku } : { wants: 'refund' }
  }
  return { wants: rng() < 0.82 ? 'refund' : 'store_credit' }
}

/**
 * Days from delivery-side order to the request. "No reason" returns come inside the
 * 7-day window (PRC Consumer Rights Protection Law art. 25); faults can surface later.
 */
export function drawRequestDelayDays(rng: Rng, reason: ReturnReason): number {
  const maxDays = MERCHANT_FAULT.has(reason) ? 14 : 7
  return Math.min(maxDays, Math.max(1, logNormal(rng, MERCHANT_FAULT.has(reason) ? 3.5 : 3, 0.45)))
}

/** Share of returned lines per sold line when no category prior is known. */
export const FALLBACK_RETURN_RATE = 0.08

/**
 * Inspection grade: the category's prior for the reported condition times the reason's
 * likelihood (a defective claim is more often C/D), as the navigator models it, so the
 * grades it sees confirm its own priors rather than contradict them.
 */
export function gradeWeights(category: CategoryDefaults | undefined, rules: Rules, reason: ReturnReason, condition: Condition): Record<Grade, number> {
  const prior = category?.gradePriors[condition] ?? { A: 0.4, B: 0.3, C: 0.2, D: 0.1 }
  const lik = rules.reasonGradeLikelihood[reason] ?? { A: 1, B: 1, C: 1, D: 1 }
  const w = { A: prior.A * lik.A, B: prior.B * lik.B, C: prior.C * lik.C, D: prior.D * lik.D }
  const total = w.A + w.B + w.C + w.D
  return total > 0 ? w : { A: 0.25, B: 0.25, C: 0.25, D: 0.25 }
}

/** The planted defect is a real fault: almost every unit comes back broken. */
export const DEFECT_GRADE_WEIGHTS: Record<Grade, number> = { A: 0.03, B: 0.07, C: 0.4, D: 0.5 }

export function drawGrade(rng: Rng, weights: Record<Grade, number>): Grade {
  return weighted<Grade>(rng, [['A', weights.A], ['B', weights.B], ['C', weights.C], ['D', weights.D]])
}

const FINDINGS: Record<Grade, readonly string[]> = {
  A: ['no fault found; tags and seal intact', 'unused, original packaging'],
  B: ['opened, minor signs of handling', 'packaging damaged, item fine'],
  C: ['cosmetic damage; functions', 'fault confirmed, repairable'],
  D: ['heavily damaged', 'fault confirmed, not economical to repair'],
}

export function findingsFor(rng: Rng, grade: Grade, plantedDefect: boolean): string {
  if (plantedDefect && (grade === 'C' || grade === 'D')) return 'fault confirmed: charging circuit fails (same batch as other returns)'
  const texts = FINDINGS[grade]
  return texts[Math.floor(rng() * texts.length)]
}
