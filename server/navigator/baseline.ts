// The "traditional" policy, decided alongside every real decision so that savings are
// measured (DECISION-MODEL.md "The baseline to beat"): the customer self-ships to the
// central warehouse, the item is inspected, then refunded (or an exchange ships from the
// central warehouse once the return has arrived), and it is restocked if grade A, else
// liquidated. Same cost model, no navigator choices.
import type { Policy } from '../contracts/weights.js'
import { buildCandidate, type Candidate } from './candidates.js'
import { inboundArrivalHours } from './logistics.js'
import type { LineContext } from './line-context.js'
import { GRADES, type ChannelDisposition, type Network } from './network.js'
import { evaluateChannel, rtvBlocker, type ChannelOutcome, type RecourseValue } from './recovery.js'
import type { NavigatorState } from './state.js'

export function baselineCandidate(ctx: LineContext, state: NavigatorState, network: Network, policy: Policy): Candidate {
  const central = network.centralIndex
  const modeIdx = Math.max(0, network.modes.findIndex((m) => m.mode === 'self_ship'))
  const node = network.nodes[central]
  const inspectedH = inboundArrivalHours(network.modes[modeIdx], ctx.nodeKm[central]) + node.dockToInspectHours
  const rtvBlock = rtvBlocker(ctx, state, network)
  const channelIdx = (d: ChannelDisposition) => network.channels.findIndex((c) => c.disposition === d)
  const restock = channelIdx('restock_new')
  const liquidate = channelIdx('liquidate')

  let expectedRecovery = 0
  let expectedChannelCost = 0
  const plan: (ChannelDisposition | null)[] = [null, null, null, null]
  const mass = new Map<ChannelDisposition, number>()
  for (let gi = 0; gi < 4; gi++) {
    const p = ctx.gradeProbs[gi]
    if (p <= 0) continue
    const ci = gi === 0 && restock >= 0 ? restock : liquidate
    let o: ChannelOutcome | string = ci >= 0
      ? evaluateChannel(ctx, state, network, central, ci, GRADES[gi], inspectedH, rtvBlock)
      : 'no_channel'
    // A grade the restock channel refuses still has to go somewhere: liquidation.
    if (typeof o === 'string' && liquidate >= 0) o = evaluateChannel(ctx, state, network, central, liquidate, GRADES[gi], inspectedH, rtvBlock)
    if (typeof o === 'string') continue
    plan[gi] = o.disposition
    expectedRecovery += p * o.recovery
    expectedChannelCost += p * o.channelCost
    mass.set(o.disposition, (mass.get(o.disposition) ?? 0) + p)
  }
  let dominant: ChannelDisposition = 'liquidate'
  let best = -1
  for (const [d, m] of mass) if (m > best) { dominant = d; best = m }
  const disposal: RecourseValue = { expectedRecovery, expectedChannelCost, expectedRepairCost: 0, dominant, plan }

  const exchange = ctx.wants === 'exchange' && state.available(central, ctx.exchangeSku) >= ctx.qty
  return buildCandidate(ctx, network, policy, {
    resolution: exchange ? 'exchange' : 'refund',
    modeIdx,
    node: central,
    source: exchange ? central : -1,
    swap: false,
    disposal,
    repair: null,
    refundAfterInspection: true,
    advanceExchangeAllowed: false,
  })
}
