// Bid prices in the navigator: the bid-prices job publishes a price per resource key
// (capacity.ts), candidates add Σ price × use to their score (plan-uses.ts). Publishing
// replaces the previous set as a whole, so a slot whose row no longer binds goes back to 0.
import { parseResourceKey, type ResourceKind } from './capacity.js'
import type { NavigatorState } from './state.js'

export function publishBidPrices(state: NavigatorState, prices: ReadonlyMap<string, number>): void {
  for (const [key] of [...state.bidPrices.entries()]) if (!prices.has(key)) state.bidPrices.delete(key)
  for (const [key, price] of prices) state.bidPrices.set(key, price)
}

export interface PriceRow { kind: ResourceKind; scope: string; slot: string; price: number }

export function bidPriceRows(state: NavigatorState): PriceRow[] {
  return [...state.bidPrices.entries()].map(([key, price]) => ({ ...parseResourceKey(key), price }))
}
