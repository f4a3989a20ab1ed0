// Statutory rights as hard constraints (DECISION-MODEL.md "Rights and offers", sources in
// docs/rights.md): which resolutions the customer may choose for a line, given the
// jurisdiction, the reason, the condition, the days since delivery and failed repairs.
// Pure. A customer entitled to what they asked for gets it: candidates that give less
// are rejected with reason `entitlement`.
import type { Entitlement } from '../contracts/decision.js'
import type { Condition, Resolution, ReturnReason, WantedResolution } from '../contracts/enums.js'
import type { Jurisdiction, Policy } from '../contracts/weights.js'

export type JurisdictionRules = Required<Jurisdiction>

const DEFAULTS: Record<Jurisdiction['code'], JurisdictionRules> = {
  // Consumer Rights Protection Law art. 25 (7-day no-reason return, online), art. 24
  // (non-conforming goods: return within 7 days, then exchange or repair); 三包 rules
  // (部分商品修理更换退货责任规定 arts. 8–13): 7 days choice, 15 days exchange or repair,
  // repair within the 三包 period, exchange or refund after two failed repairs.
  cn: { code: 'cn', withdrawalDays: 7, faultRefundDays: 7, faultExchangeDays: 15, guaranteeDays: 365, failedRepairsForRefund: 2, sanbaoCategories: ['electronics'] },
  // Directive 2011/83/EU art. 9 (14-day withdrawal); Directive (EU) 2019/771 arts. 10, 13
  // (2-year guarantee; repair or replacement at the consumer's choice, then price
  // reduction or termination when the remedy fails).
  eu: { code: 'eu', withdrawalDays: 14, faultRefundDays: 0, faultExchangeDays: 730, guaranteeDays: 730, failedRepairsForRefund: 1, sanbaoCategories: [] },
  // Consumer Contracts Regulations 2013 reg. 29-30 (14 days); Consumer Rights Act 2015
  // s. 22 (30-day short-term right to reject), s. 23 (repair or replacement), s. 24
  // (final right to reject after one failed repair), s. 5 Limitation Act (6 years).
  uk: { code: 'uk', withdrawalDays: 14, faultRefundDays: 30, faultExchangeDays: 2190, guaranteeDays: 2190, failedRepairsForRefund: 1, sanbaoCategories: [] },
  none: { code: 'none', withdrawalDays: 0, faultRefundDays: 0, faultExchangeDays: 0, guaranteeDays: 0, failedRepairsForRefund: 1, sanbaoCategories: [] },
}

/** The jurisdiction in force with its day counts filled in (CN when the policy names none). */
export function jurisdictionRules(policy: Policy): JurisdictionRules {
  const j = policy.jurisdiction ?? { code: 'cn' as const }
  const d = DEFAULTS[j.code]
  return {
    code: j.code,
    withdrawalDays: j.withdrawalDays ?? d.withdrawalDays,
    faultRefundDays: j.faultRefundDays ?? d.faultRefundDays,
    faultExchangeDays: j.faultExchangeDays ?? d.faultExchangeDays,
    guaranteeDays: j.guaranteeDays ?? d.guaranteeDays,
    failedRepairsForRefund: j.failedRepairsForRefund ?? d.failedRepairsForRefund,
    sanbaoCategories: j.sanbaoCategories ?? d.sanbaoCategories,
  }
}

/** Goods that do not conform to the contract: the statutory remedies apply. */
const NON_CONFORMING: readonly ReturnReason[] = ['defective', 'damaged_in_transit', 'wrong_item', 'not_as_described']
/** CN no-reason returns need the goods intact (opening to inspect is allowed). */
const INTACT: readonly Condition[] = ['unopened', 'like_new']

export interface RightsInput {
  reason: ReturnReason
  condition: Condition
  category: string
  /** Days since delivery (or sale); undefined when unknown: counted as within every period. */
  days: number | undefined
  priorRepairs: number
  /**
   * False for goods excluded from the no-reason return (the merchant's non-returnable
   * categories: sealed hygiene goods, personalised goods — CPL art. 25, 2011/83/EU art. 16).
   * The rights over faulty goods apply all the same.
   */
  withdrawable: boolean
}

/** The entitlement of one line, or null when no statutory right applies. */
export function entitlementOf(rules: JurisdictionRules, input: RightsInput): Entitlement | null {
  if (rules.code === 'none') return null
  const days = input.days ?? 0
  const allowed = new Set<Resolution>()
  const bases: string[] = []
  const add = (basis: string, rs: Resolution[]) => { bases.push(basis); for (const r of rs) allowed.add(r) }
  const code = rules.code

  if (input.withdrawable && days <= rules.withdrawalDays && (code !== 'cn' || INTACT.includes(input.condition))) {
    add(`${code}_withdrawal_${rules.withdrawalDays}d`, ['refund'])
  }
  if (NON_CONFORMING.includes(input.reason)) {
    const failed = input.priorRepairs >= rules.failedRepairsForRefund
    if (code === 'cn') {
      const sanbao = input.reason === 'defective' && rules.sanbaoCategories.includes(input.category)
      const law = sanbao ? 'cn_sanbao' : 'cn_cpl24'
      if (days <= rules.faultRefundDays) add(`${law}_${rules.faultRefundDays}d`, ['refund', 'exchange', 'repair'])
      else if (sanbao && days <= rules.faultExchangeDays) add(`${law}_${rules.faultExchangeDays}d`, ['exchange', 'repair'])
      else if (days <= rules.guaranteeDays) add(`${law}_guarantee`, sanbao ? ['repair'] : ['exchange', 'repair'])
      if (failed && days <= rules.guaranteeDays) add(`${law}_failed_repairs`, ['exchange', 'refund'])
    } else {
      if (days <= rules.faultRefundDays) add(`${code}_reject_${rules.faultRefundDays}d`, ['refund', 'exchange', 'repair'])
      else if (days <= rules.guaranteeDays) add(`${code}_guarantee`, ['repair', 'exchange'])
      if (failed && days <= rules.guaranteeDays) add(`${code}_failed_repair`, ['refund'])
    }
  }
  if (allowed.size === 0) return null
  const order: Resolution[] = ['refund', 'exchange', 'repair', 'store_credit', 'keep_it', 'partial_refund']
  return { basis: bases.join('+'), allowed: order.filter((r) => allowed.has(r)) }
}

/** Is the customer entitled to what they asked for? Store credit is covered by a right to a refund. */
export function entitledToWish(e: Entitlement | null, wish: WantedResolution): boolean {
  if (!e) return false
  return e.allowed.includes(wish) || (wish === 'store_credit' && e.allowed.includes('refund'))
}

/** May a resolution be given under the entitlement (the customer's own choice among what the law gives)? */
export function allowedUnder(e: Entitlement, r: Resolution): boolean {
  // A returnless refund is a refund, sooner.
  return e.allowed.includes(r) || (r === 'keep_it' && e.allowed.includes('refund'))
}
