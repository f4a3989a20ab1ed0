// Statutory rights as hard constraints (issue 15 item 1, docs/rights.md): the table of
// entitlements per jurisdiction, and over a simulated stream (orders, then returns days
// later, every event through the navigator) not one decision gives a customer less than
// the wish they were entitled to.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Decision } from '../../../server/contracts/decision.js'
import type { Event } from '../../../server/contracts/events.js'
import type { WeightsVersion } from '../../../server/contracts/weights.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../../server/navigator/engine.js'
import { DEMO_NETWORK_PATH } from '../../../server/network/network-file.js'
import { loadNetworkOrThrow } from '../../../server/navigator/network.js'
import { entitlementOf, jurisdictionRules, type RightsInput } from '../../../server/navigator/rights.js'
import { SimWorld } from '../../../server/sim/world.js'
import { T0, TEST_POLICY, network, request, sequentialIds, weightsVersion } from './fixtures.js'

const DAY = 86_400_000
const line = (over: Partial<RightsInput>): RightsInput => ({
  reason: 'changed_mind', condition: 'unopened', category: 'apparel', days: 3, priorRepairs: 0, withdrawable: true, ...over,
})
const rules = (code: 'cn' | 'eu' | 'uk' | 'none', over = {}) => jurisdictionRules({ ...TEST_POLICY, jurisdiction: { code, ...over } })

describe('entitlements by jurisdiction', () => {
  it('CN: 7-day no-reason return of intact goods; 三包 7/15 days, guarantee repair, exchange or refund after two failed repairs', () => {
    const cn = rules('cn')
    expect(entitlementOf(cn, line({}))).toEqual({ basis: 'cn_withdrawal_7d', allowed: ['refund'] })
    expect(entitlementOf(cn, line({ days: 8 }))).toBeNull()
    expect(entitlementOf(cn, line({ condition: 'used' }))).toBeNull() // not intact
    expect(entitlementOf(cn, line({ withdrawable: false }))).toBeNull() // excluded goods (hygiene, personalised)
    const phone = { reason: 'defective' as const, condition: 'defective' as const, category: 'electronics' }
    expect(entitlementOf(cn, line({ ...phone, days: 5 }))?.allowed).toEqual(['refund', 'exchange', 'repair'])
    expect(entitlementOf(cn, line({ ...phone, days: 12 }))).toEqual({ basis: 'cn_sanbao_15d', allowed: ['exchange', 'repair'] })
    expect(entitlementOf(cn, line({ ...phone, days: 100 }))).toEqual({ basis: 'cn_sanbao_guarantee', allowed: ['repair'] })
    expect(entitlementOf(cn, line({ ...phone, days: 100, priorRepairs: 2 }))?.allowed).toEqual(['refund', 'exchange', 'repair'])
    expect(entitlementOf(cn, line({ ...phone, days: 400 }))).toBeNull()
    // Non-conforming goods outside 三包 (CPL art. 24): return within 7 days, then exchange or repair.
    expect(entitlementOf(cn, line({ reason: 'wrong_item', days: 10 }))).toEqual({ basis: 'cn_cpl24_guarantee', allowed: ['exchange', 'repair'] })
    // Day counts are editable.
    expect(entitlementOf(rules('cn', { withdrawalDays: 10 }), line({ days: 9 }))?.allowed).toEqual(['refund'])
  })
  it('EU: 14-day withdrawal; 2-year guarantee, repair or replacement, refund once a repair failed', () => {
    const eu = rules('eu')
    expect(entitlementOf(eu, line({ days: 13, condition: 'used' }))).toEqual({ basis: 'eu_withdrawal_14d', allowed: ['refund'] })
    expect(entitlementOf(eu, line({ days: 15 }))).toBeNull()
    expect(entitlementOf(eu, line({ reason: 'defective', days: 300 }))).toEqual({ basis: 'eu_guarantee', allowed: ['exchange', 'repair'] })
    expect(entitlementOf(eu, line({ reason: 'defective', days: 300, priorRepairs: 1 }))?.allowed).toEqual(['refund', 'exchange', 'repair'])
    expect(entitlementOf(eu, line({ reason: 'defective', days: 800 }))).toBeNull()
  })
  it('UK: 14 days; 30-day right to reject faulty goods, then repair or replacement', () => {
    const uk = rules('uk')
    expect(entitlementOf(uk, line({ days: 14 }))?.allowed).toEqual(['refund'])
    expect(entitlementOf(uk, line({ reason: 'defective', days: 29 }))).toEqual({ basis: 'uk_reject_30d', allowed: ['refund', 'exchange', 'repair'] })
    expect(entitlementOf(uk, line({ reason: 'defective', days: 31 }))).toEqual({ basis: 'uk_guarantee', allowed: ['exchange', 'repair'] })
  })
  it('none: no statutory constraint', () => {
    expect(entitlementOf(rules('none'), line({ reason: 'defective', days: 1 }))).toBeNull()
  })
})

describe('when no remedy the law names can be given', () => {
  it('a wrong item past 7 days, its exchange out of stock everywhere: the customer gets a refund, not a review queue', () => {
    const ids = sequentialIds('w')
    const nav = new Navigator(network(), ids.newId, ids.newToken)
    const r = request([{ reason: 'wrong_item', condition: 'unopened', wants: 'exchange', exchangeSku: 'SKU-1' }])
    const [d] = nav.decideRequest({ ...r, deliveredAt: new Date(T0.getTime() - 10 * DAY).toISOString() }, T0, weightsVersion())
    expect(d.entitlement).toEqual({ basis: 'cn_cpl24_guarantee+remedy_impossible', allowed: ['refund', 'exchange', 'repair'] })
    expect(d.resolution).toBe('refund')
    expect(d.flags).toContain('wish_unavailable')
    expect(d.flags ?? []).not.toContain('needs_review')
  })
})

const net = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))
const START = Date.UTC(2026, 9, 1)

function simulate(weights: WeightsVersion, days: number): Decision[] {
  const ids = sequentialIds('s')
  const nav = new Navigator(net, ids.newId, ids.newToken)
  const world = new SimWorld(net, { seed: 15, startMs: START, ordersPerDay: 300 })
  const decisions: Decision[] = []
  for (;;) {
    const batch: Event[] = world.take(START + days * DAY, 1000)
    if (batch.length === 0) break
    for (const e of batch) {
      const out = nav.applyEvent(e, new Date(e.occurredAt), weights)
      decisions.push(...out)
      for (const d of out) world.onDecision(d.rmaId, d.lineIndex, d)
    }
  }
  return decisions
}

/** A violation: the customer was entitled to the wish and got something the entitlement does not allow. */
function violations(ds: Decision[]): Decision[] {
  return ds.filter((d) => {
    if (d.trigger === 'offer_accepted' || !d.entitlement || !d.wish) return false
    const entitled = d.entitlement.allowed.includes(d.wish) || (d.wish === 'store_credit' && d.entitlement.allowed.includes('refund'))
    if (!entitled || d.wishHonoured) return false
    const allowed = d.entitlement.allowed.includes(d.resolution) || (d.resolution === 'keep_it' && d.entitlement.allowed.includes('refund'))
    return !allowed
  })
}

describe('rights over a simulated stream', () => {
  it('CN (default): 0 entitlement violations; entitled wishes are honoured unless they cannot be met', () => {
    const ds = simulate(DEFAULT_WEIGHTS_VERSION, 22).filter((d) => d.trigger === 'requested')
    expect(ds.length).toBeGreaterThan(1000)
    expect(ds.every((d) => d.wish !== undefined && d.wishHonoured !== undefined && d.entitlement !== undefined && Array.isArray(d.offers))).toBe(true)
    const entitled = ds.filter((d) => d.entitlement && (d.entitlement.allowed.includes(d.wish!) || (d.wish === 'store_credit' && d.entitlement.allowed.includes('refund'))))
    expect(entitled.length).toBeGreaterThan(200)
    expect(ds.some((d) => d.entitlement === null)).toBe(true) // the order dates are known: some are out of every period
    expect(violations(ds)).toEqual([])
    for (const d of entitled) if (!d.wishHonoured) expect(d.flags).toContain('wish_unavailable')
  })
  it('EU: 0 violations too', () => {
    const eu = { ...DEFAULT_WEIGHTS_VERSION, policy: { ...DEFAULT_WEIGHTS_VERSION.policy, jurisdiction: { code: 'eu' as const } } }
    const ds = simulate(eu, 12).filter((d) => d.trigger === 'requested')
    expect(ds.length).toBeGreaterThan(150)
    expect(violations(ds)).toEqual([])
  })
})
