// Number shaping shared by the analytics reads: store values to numbers, safe ratios,
// rounding, and the cost summary several views show.
export const num = (v: unknown) => Number(v ?? 0)
export const ratio = (a: number, b: number) => (b > 0 ? a / b : null)
export const round = (v: number | null, digits = 6) => (v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits)))

export function recoveryRate(recovery: number, costedLines: number, returnedValue: number, returnedLines: number): number | null {
  const perCosted = ratio(recovery, costedLines)
  const perReturned = ratio(returnedValue, returnedLines)
  return perCosted === null || perReturned === null ? null : round(ratio(perCosted, perReturned), 4)
}

export interface CostSummary {
  returns: number
  netCost: number
  costPerReturn: number | null
  recovery: number
  baselineNetCost: number
  savings: number
  savingsPerReturn: number | null
  logistics: number
  handling: number
  refunds: number
  repair: number
}

/** Money of a set of returns; a missing or null sum counts as 0. */
export function costSummary(t: Partial<Record<'returns' | 'net_cost' | 'recovery' | 'baseline_net_cost' | 'logistics' | 'handling' | 'refunds' | 'repair', number | null>>): CostSummary {
  const returns = num(t.returns), netCost = num(t.net_cost), baseline = num(t.baseline_net_cost)
  const money = (v: number) => round(v, 2) ?? 0
  return {
    returns, netCost: money(netCost), costPerReturn: round(ratio(netCost, returns), 2), recovery: money(num(t.recovery)),
    baselineNetCost: money(baseline), savings: money(baseline - netCost), savingsPerReturn: round(ratio(baseline - netCost, returns), 2),
    logistics: money(num(t.logistics)), handling: money(num(t.handling)), refunds: money(num(t.refunds)), repair: money(num(t.repair)),
  }
}
