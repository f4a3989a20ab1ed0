// The navigator as the server uses it: network + live state + the decide functions.
// Still pure: time is an argument, ids and tracking tokens come from injected functions,
// so a replay with the same inputs gives the same decisions.
import type { Decision, Offer } from '../contracts/decision.js'
import type { Event, ReturnOfferAnswered, ReturnRequested } from '../contracts/events.js'
import type { PreviewResult, PreviewSide } from '../contracts/preview.js'
import type { WeightsVersion } from '../contracts/weights.js'
import type { Candidate } from './candidates.js'
import {
  chooseLine, decideLine, redecideAfterInspection, redecideForCapacity, reservationsOf, type IdSource,
} from './decide.js'
import { round2, round3 } from './explain.js'
import { buildLineContext } from './line-context.js'
import type { Network } from './network.js'
import { scoreOf } from './score.js'
import { findLineIndex, NavigatorState, type HeldDecision } from './state.js'
import { applyNodeCapacity, bookedSlots, holdersOf, overBooked, usedOf, limitOf, type NodeCapacityChange, type SlotView } from './capacity.js'
import { entitledToWish } from './rights.js'
import type { WantedResolution } from '../contracts/enums.js'

export { DEFAULT_POLICY, DEFAULT_WEIGHTS, DEFAULT_WEIGHTS_VERSION } from './defaults.js'

/** Statuses after which the item is on its way: a re-decision keeps its mode and node. */
const NOT_YET_MOVING = new Set(['requested', 'label_created'])
/**
 * Trial decisions one re-plan may spend making room for entitled wishes (each is a full
 * decideLine on a fork): a cut that strands many entitled lines must not hold the event
 * loop for seconds; past it, a stranded wish is given up as without the bumping.
 */
const MAKE_ROOM_TRIALS = 400
const PREVIEW_SAMPLE = 20


/** One line of one side of the preview: the plan chosen for it. */
export interface PreviewOutcome { rmaId: string; lineIndex: number; sku: string; c: Candidate }

/** An offer a customer has not answered yet, with the return and line it belongs to. */
export interface PendingOffer extends Offer {
  rmaId: string
  lineIndex: number
  sku: string
  wish: string | null
  customerId: string
}

export class Navigator {
  readonly state: NavigatorState
  private readonly ids: IdSource

  constructor(readonly network: Network, newId: () => string, newToken: () => string, state?: NavigatorState) {
    this.ids = { newId, newToken }
    this.state = state ?? new NavigatorState(network)
  }

  /** One decision per line; exchanges reserve their replacement before the next line is decided. */
  decideRequest(event: ReturnRequested, now: Date, weights: WeightsVersion): Decision[] {
    const open = this.state.recordRequest(event)
    const decisions: Decision[] = []
    for (let i = 0; i < event.lines.length; i++) {
      const prev = open.lines.get(i)?.decision
      // A re-sent request re-decides the line: its own earlier reservation must not hold
      // the stock (or bench hours, vendor quota) it competes for, so it is given back on
      // a fork first; recordDecision then swaps the reservations in the live state.
      const d = decideLine({ request: open.request, lineIndex: i }, this.withoutOwnReservation(prev), this.network,
        weights, now, this.ids, prev ? { supersedes: prev } : {})
      this.state.recordDecision(d)
      decisions.push(d)
    }
    return decisions
  }

  /**
   * The live state as a line being re-decided should see it: without what it holds itself
   * (its reservations, its place in its node's dock mix).
   */
  private withoutOwnReservation(prev: HeldDecision | undefined): NavigatorState {
    if (!prev) return this.state
    const scratch = this.state.fork()
    scratch.release(prev.decisionId)
    scratch.leaveDock(prev)
    return scratch
  }

  /**
   * Update the state for any event; answer the decisions it caused: the request's
   * decisions, the re-decision after an inspection, re-decisions of returns whose
   * reserved stock disappeared.
   */
  applyEvent(event: Event, now: Date, weights: WeightsVersion): Decision[] {
    switch (event.type) {
      case 'return.requested':
        return this.decideRequest(event, now, weights)
      case 'return.inspected': {
        this.state.applyEvent(event)
        const open = this.state.openReturn(event.rmaId)
        if (!open) return []
        const request = open.request
        const lineIndex = findLineIndex(request, event.lineId, event.sku)
        const line = open.lines.get(lineIndex)
        if (!line) return []
        const d = redecideAfterInspection(line.decision, request, event.grade, event.nodeId,
          this.state, this.network, weights, now, this.ids)
        this.state.recordDecision(d)
        return [d]
      }
      case 'return.offer_answered':
        return this.answerOffer(event, now, weights)
      case 'inventory.snapshot': {
        this.state.applyEvent(event)
        return this.replanStock(event.nodeId, event.items.map((i) => i.sku), now, weights)
      }
      case 'inventory.adjusted':
        this.state.applyEvent(event)
        if (event.delta >= 0) return []
        if (event.partId !== undefined) return this.replanSlots(overBooked(this.state).filter((s) => s.kind === 'parts' && s.scope === event.nodeId), now, weights)
        return this.replanStock(event.nodeId, [event.sku], now, weights)
      default:
        this.state.applyEvent(event)
        return []
    }
  }

  /**
   * Why an answer to an offer cannot be taken, or null when it can: the offer must belong
   * to the line's current decision, not be answered yet, and not have expired.
   */
  offerAnswerProblem(rmaId: string, lineIndex: number, offerId: string, now: Date): 'unknown' | 'answered' | 'expired' | null {
    const line = this.state.openReturn(rmaId)?.lines.get(lineIndex)
    const offer = line?.decision.offers?.find((o) => o.offerId === offerId)
    if (!offer) return this.state.offerAnswer(offerId) !== undefined ? 'answered' : 'unknown'
    if (this.state.offerAnswer(offerId) !== undefined) return 'answered'
    if (now.getTime() > Date.parse(offer.expiresAt)) return 'expired'
    return null
  }

  /**
   * Offers open returns are waiting on the customer to answer (not answered, not expired),
   * the soonest to expire first: customer service's list of customers to remind.
   */
  pendingOffers(now: Date, limit: number): PendingOffer[] {
    const out: PendingOffer[] = []
    for (const [rmaId, open] of this.state.openReturns.entries()) {
      let customerId: string | undefined
      for (const [lineIndex, line] of open.lines) {
        if (!line.hasOffers) continue
        const decision = line.decision
        for (const offer of decision.offers ?? []) {
          if (this.state.offerAnswer(offer.offerId) !== undefined || now.getTime() > Date.parse(offer.expiresAt)) continue
          // Read once per return: a packed request is parsed on each read.
          customerId ??= open.request.customer.id
          out.push({ rmaId, lineIndex, sku: decision.sku, wish: decision.wish ?? null, customerId, ...offer })
        }
      }
    }
    return out.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)).slice(0, limit)
  }

  /** The line of open return `rmaId` whose tracking token is `token` and whose decision makes offer `offerId`. */
  findOffer(rmaId: string, token: string, offerId: string): { rmaId: string; lineIndex: number } | null {
    const open = this.state.openReturn(rmaId)
    if (!open) return null
    for (const [lineIndex, line] of open.lines) {
      if (!line.hasOffers) continue
      const decision = line.decision
      if (decision.trackingToken !== token) continue
      if (decision.offers?.some((o) => o.offerId === offerId)) return { rmaId, lineIndex }
    }
    return null
  }

  /** Whether return `rmaId` (token `token`) made `offerId` in a decision its line has since replaced. */
  tokenSupersededOffer(rmaId: string, token: string, offerId: string): boolean {
    const open = this.state.openReturn(rmaId)
    if (!open) return false
    for (const line of open.lines.values()) {
      const decision = line.decision
      if (decision.trackingToken === token && decision.supersedes && offerId.startsWith(`${decision.supersedes}@`)) return true
    }
    return false
  }

  /**
   * An answer to an offer: counted for the offer type's acceptance rate; an acceptance
   * re-decides the line among plans of the accepted resolution (trigger offer_accepted),
   * with the line's own reservations given back first. Unknown, repeated or expired
   * answers change nothing.
   */
  private answerOffer(event: ReturnOfferAnswered, now: Date, weights: WeightsVersion): Decision[] {
    if (this.offerAnswerProblem(event.rmaId, event.lineIndex, event.offerId, now) !== null) return []
    const open = this.state.openReturn(event.rmaId)!
    const line = open.lines.get(event.lineIndex)!
    const offer = line.decision.offers!.find((o) => o.offerId === event.offerId)!
    this.state.applyEvent(event)
    if (!event.accepted) return []
    const prev = line.decision
    const inTransit = !NOT_YET_MOVING.has(line.status)
    const restrict = inTransit
      ? (c: Candidate) => c.inboundMode === prev.inboundMode && (c.receivingNode < 0 ? null : this.network.nodes[c.receivingNode].id) === prev.receivingNodeId
      : undefined
    const d = decideLine({ request: open.request, lineIndex: event.lineIndex }, this.withoutOwnReservation(prev), this.network,
      weights, now, this.ids, { trigger: 'offer_accepted', supersedes: prev, restrict, consent: { resolution: offer.resolution, incentive: offer.incentive } })
    this.state.recordDecision(d)
    return [d]
  }

  /** Bench hours of a node changed (a technician off sick): re-decide what no longer fits. */
  setRepairCapacity(nodeId: string, hoursPerDay: number, now: Date, weights: WeightsVersion): Decision[] {
    return this.setCapacity(nodeId, { repairBenchHoursPerDay: hoursPerDay }, now, weights)
  }

  /**
   * Any node capacity changed: apply it and re-plan the plans it displaces (replanSlots).
   * The service splits the two so the bid prices can be re-solved for the new capacity
   * in between (applyCapacity, then replanOverbooked).
   */
  setCapacity(nodeId: string, change: NodeCapacityChange, now: Date, weights: WeightsVersion): Decision[] {
    return this.replanSlots(this.applyCapacity(nodeId, change), now, weights)
  }

  /** Set a node's limits; the slots that now over-book (nothing is re-decided yet). */
  applyCapacity(nodeId: string, change: NodeCapacityChange): SlotView[] {
    return applyNodeCapacity(this.state, this.network, nodeId, change)
  }

  /** Re-plan whatever over-books now among `slots` (those applyCapacity named). */
  replanOverbooked(slots: readonly SlotView[], now: Date, weights: WeightsVersion): Decision[] {
    return this.replanSlots(slots, now, weights)
  }

  /**
   * Cuts are re-planned, not dumped (issue 17), in three steps:
   * 1. each over-booked slot gives up holders until it fits: first those with no right to
   *    what they hold (a goodwill repair), the least urgent first;
   * 2. every displaced plan is given back before any is re-decided, so a plan re-decided
   *    early cannot miss room that a later release frees;
   * 3. they are re-decided with the prices in force, customers entitled to their wish
   *    first; one whose wish no longer fits anywhere takes the place of goodwill holders
   *    of the same kind of resource (they join the queue and are re-decided after).
   * No slot is over-booked at any step (decideLine books only what has room).
   */
  private replanSlots(slots: readonly SlotView[], now: Date, weights: WeightsVersion): Decision[] {
    const displaced: string[] = []
    const kinds = new Set<SlotView['kind']>()
    for (const s of slots) {
      kinds.add(s.kind)
      const holders = this.byRightThenPriority(holdersOf(this.state, s.kind, s.scope, s.slot))
      while (usedOf(this.state, s.kind, s.scope, s.slot) > limitOf(this.state, s.kind, s.scope, s.slot) + 1e-9 && holders.length > 0) {
        const id = holders.pop()!
        if (this.giveBack(id)) displaced.push(id)
      }
    }
    const queue = this.byRightThenPriority(displaced)
    const budget = { trials: MAKE_ROOM_TRIALS }
    const out: Decision[] = []
    while (queue.length) {
      const id = queue.shift()!
      const found = this.findOpenDecision(id)
      if (!found) continue
      let d = this.redecideOn(this.state, found, now, weights)
      if (!d.wishHonoured && entitledToWish(found.decision.entitlement ?? null, found.decision.wish as WantedResolution)) {
        const made = this.makeRoomFor(found, kinds, now, weights, budget)
        if (made) {
          for (const bumped of made.bumped) if (this.giveBack(bumped)) queue.push(bumped)
          d = made.decision
        }
      }
      this.state.recordDecision(d)
      out.push(d)
    }
    return out
  }

  /**
   * An entitled line whose wish found no room: the fewest goodwill holders of one slot of
   * the kinds cut (any node's bench day after a bench cut; least urgent first) whose
   * plans, given back, let the wish fit. Tried on forks; null when no slot can make room.
   */
  private makeRoomFor(
    found: NonNullable<ReturnType<Navigator['findOpenDecision']>>, kinds: ReadonlySet<SlotView['kind']>,
    now: Date, weights: WeightsVersion, budget: { trials: number },
  ): { decision: Decision; bumped: string[] } | null {
    const slots = bookedSlots(this.state).filter((s) => kinds.has(s.kind))
    slots.sort((a, b) => String(a.slot).localeCompare(String(b.slot), undefined, { numeric: true }))
    for (const s of slots) {
      const goodwill = this.byRightThenPriority(holdersOf(this.state, s.kind, s.scope, s.slot)).filter((id) => !this.entitledHolder(id))
      if (!goodwill.length) continue
      const fork = this.state.fork()
      const bumped: string[] = []
      while (goodwill.length && budget.trials-- > 0) {
        const id = goodwill.pop()!
        fork.release(id)
        bumped.push(id)
        const d = this.redecideOn(fork, found, now, weights)
        if (d.wishHonoured) return { decision: d, bumped }
      }
    }
    return null
  }

  /** Gives a displaced plan's capacity back (journaled, so a failed write undoes it). */
  private giveBack(decisionId: string): boolean {
    const found = this.state.openLineOf(decisionId)
    if (!found) {
      this.state.release(decisionId) // an orphan reservation: nothing to re-decide
      return false
    }
    this.state.journalReturn(found.open.request.rmaId)
    this.state.release(decisionId)
    return true
  }

  /** A holder whose customer is entitled to the wish its plan honours: it keeps its slot longest. */
  private entitledHolder(decisionId: string): boolean {
    const d = this.state.openLineOf(decisionId)?.line.decision
    return d !== undefined && d.wishHonoured === true && entitledToWish(d.entitlement ?? null, d.wish as WantedResolution)
  }

  /** pop() gives up a goodwill holder before an entitled one, the least urgent first. */
  private byRightThenPriority(holders: string[]): string[] {
    const ranked = this.byPriority(holders)
    return [...ranked.filter((id) => this.entitledHolder(id)), ...ranked.filter((id) => !this.entitledHolder(id))]
  }

  private redecideOn(
    state: NavigatorState, found: NonNullable<ReturnType<Navigator['findOpenDecision']>>, now: Date, weights: WeightsVersion,
  ): Decision {
    return redecideForCapacity(found.decision, found.request, !NOT_YET_MOVING.has(found.status), state, this.network, weights, now, this.ids)
  }

  /**
   * Stock on hand fell below what is reserved: the plans holding the units that are gone
   * are re-planned together, as a capacity cut is (replanSlots): all given back first,
   * then re-decided with the prices in force, customers entitled to their wish first.
   * One at a time, a plan re-decided first could take the unit another had a right to.
   */
  private replanStock(nodeId: string, skus: readonly string[], now: Date, weights: WeightsVersion): Decision[] {
    const idx = this.network.nodeIndex.get(nodeId)
    if (idx === undefined) return []
    const slots: SlotView[] = []
    for (const sku of new Set(skus)) {
      const booked = this.state.reserved(idx, sku)
      const capacity = this.state.onHand(idx, sku)
      if (booked > capacity) slots.push({ kind: 'stock', scope: nodeId, slot: sku, booked, capacity, bidPrice: 0 })
    }
    return slots.length ? this.replanSlots(slots, now, weights) : []
  }

  /**
   * Holders of a scarce slot ordered so that pop() gives up the least urgent first: the
   * slot stays with the returns that lose the most value per hour (newest first among equals).
   */
  private byPriority(holders: string[]): string[] {
    const priority = (id: string) => this.state.openLineOf(id)?.line.priority ?? -1
    return holders
      .map((id, order) => ({ id, order, p: priority(id) }))
      .sort((a, b) => b.p - a.p || a.order - b.order)
      .map((h) => h.id)
  }

  private findOpenDecision(decisionId: string) {
    const found = this.state.openLineOf(decisionId)
    return found ? { decision: found.line.decision, request: found.open.request, status: found.line.status } : null
  }

  /** The current decision of every line of an open return, as the state holds it (no explanation or tasks). */
  openDecisions(rmaId: string): HeldDecision[] {
    const open = this.state.openReturn(rmaId)
    return open ? [...open.lines.values()].map((l) => l.decision) : []
  }

  // ---- rebuild on restart ---------------------------------------------------------
  /** Replay a stored event into the state without deciding anything. */
  restoreEvent(event: Event): void {
    this.state.applyEvent(event)
  }

  /**
   * Re-install a stored decision as its line's current one (with its reservations).
   * Call after the events were replayed, oldest decision first: a decision of a return
   * that was closed or cancelled meanwhile is ignored.
   */
  restoreDecision(decision: Decision): void {
    this.state.recordDecision(decision)
  }

  restore(input: { events: Iterable<Event>; decisions: Iterable<Decision> }): void {
    for (const e of input.events) this.restoreEvent(e)
    for (const d of input.decisions) this.restoreDecision(d)
  }

  // ---- what-if ----------------------------------------------------------------------
  /**
   * Re-decide `requests` under the weights in force and under `candidate`, each on its
   * own fork of the live state (so the re-decisions compete for stock, bench hours and
   * vendor quota as the real ones did) and report the deltas. Nothing live changes.
   * Each request is decided at its own occurredAt against the current network and stock.
   */
  preview(requests: readonly ReturnRequested[], candidate: WeightsVersion, current: WeightsVersion, now: Date): PreviewResult {
    void now // decisions are stamped with each request's own time; kept for symmetry with decide
    const { before, after } = this.replay(requests, current, candidate)
    let changed = 0
    const sample: PreviewResult['sample'] = []
    for (let i = 0; i < before.length; i++) {
      const b = before[i]
      const a = after[i]
      if (samePath(b.c, a.c)) continue
      changed++
      if (sample.length < PREVIEW_SAMPLE) {
        sample.push({ rmaId: b.rmaId, lineIndex: b.lineIndex, sku: b.sku, before: this.lineOutcome(b.c), after: this.lineOutcome(a.c) })
      }
    }
    const sb = this.summarise(before.map((o) => o.c), current)
    const sa = this.summarise(after.map((o) => o.c), candidate)
    const n = Math.max(1, requests.length)
    return {
      requests: requests.length,
      lines: before.length,
      changed,
      currentVersion: current.version,
      before: sb,
      after: sa,
      delta: {
        totalNetCost: round2(sa.totalNetCost - sb.totalNetCost),
        perReturnNetCost: round2((sa.totalNetCost - sb.totalNetCost) / n),
        meanWaitHours: round2(sa.meanWaitHours - sb.meanWaitHours),
        medianWaitHours: round2(sa.medianWaitHours - sb.medianWaitHours),
        totalCo2Kg: round3(sa.totalCo2Kg - sb.totalCo2Kg),
      },
      sample,
    }
  }

  /**
   * Both sides of the preview, line by line: each weight set decides on its own fork, so
   * each side's lines compete for what that side booked, exactly as two separate replays
   * would. The line's context (item, grades, fraud risk, distances, dock order) is built
   * once: it reads nothing a replay books, so both forks would build the same one.
   * Public for the test that holds it to full decisions.
   */
  replay(requests: readonly ReturnRequested[], current: WeightsVersion, candidate: WeightsVersion) {
    const forks = [this.state.fork(), this.state.fork()]
    const sides = [current, candidate]
    const outcomes: PreviewOutcome[][] = [[], []]
    for (const request of requests) {
      const atMs = Date.parse(request.occurredAt)
      for (let i = 0; i < request.lines.length; i++) {
        const input = { request, lineIndex: i }
        const ctx = buildLineContext(input, this.state, this.network, atMs)
        for (let s = 0; s < 2; s++) {
          const { chosen } = chooseLine(input, forks[s], this.network, sides[s], atMs, ctx)
          const held = reservationsOf(chosen, ctx, forks[s], this.network)
          if (held) forks[s].reserve(`preview:${request.rmaId}#${i}`, held)
          outcomes[s].push({ rmaId: request.rmaId, lineIndex: i, sku: ctx.sku, c: chosen })
        }
      }
    }
    return { before: outcomes[0], after: outcomes[1] }
  }

  private lineOutcome(c: Candidate) {
    const id = (i: number) => (i < 0 ? null : this.network.nodes[i].id)
    return {
      resolution: c.resolution, inboundMode: c.inboundMode, receivingNodeId: id(c.receivingNode),
      exchangeSourceNodeId: id(c.exchangeSource), disposition: c.disposition,
      ...(c.swapAtDoor ? { swapAtDoor: true } : {}),
      ...(c.refundTiming ? { refundTiming: c.refundTiming } : {}),
      ...(c.resolution === 'exchange' && !c.swapAtDoor ? { advanceExchange: c.advanceExchange } : {}),
      netCost: round2(c.netCost), waitHours: round2(c.waitHours), co2Kg: round3(c.co2Kg),
    }
  }

  private summarise(cs: Candidate[], weights: WeightsVersion): PreviewSide {
    let cost = 0, wait = 0, co2 = 0, score = 0
    const waits = new Float64Array(cs.length)
    const resolutionMix: Record<string, number> = {}
    const dispositionMix: Record<string, number> = {}
    const inboundModeMix: Record<string, number> = {}
    cs.forEach((c, i) => {
      cost += c.netCost; wait += c.waitHours; co2 += c.co2Kg; score += scoreOf(c, weights.weights)
      waits[i] = c.waitHours
      resolutionMix[c.resolution] = (resolutionMix[c.resolution] ?? 0) + 1
      dispositionMix[c.disposition] = (dispositionMix[c.disposition] ?? 0) + 1
      inboundModeMix[c.inboundMode] = (inboundModeMix[c.inboundMode] ?? 0) + 1
    })
    waits.sort()
    const n = Math.max(1, cs.length)
    return {
      lines: cs.length,
      totalNetCost: round2(cost),
      meanNetCost: round2(cost / n),
      meanWaitHours: round2(wait / n),
      medianWaitHours: round2(median(waits)),
      totalCo2Kg: round3(co2),
      totalScore: round2(score),
      resolutionMix, dispositionMix, inboundModeMix,
    }
  }
}

function samePath(a: Candidate, b: Candidate): boolean {
  return a.resolution === b.resolution && a.inboundMode === b.inboundMode && a.receivingNode === b.receivingNode
    && a.exchangeSource === b.exchangeSource && a.disposition === b.disposition && a.swapAtDoor === b.swapAtDoor
    && a.refundTiming === b.refundTiming && a.advanceExchange === b.advanceExchange
}

export function median(sorted: Float64Array | number[]): number {
  const n = sorted.length
  if (n === 0) return 0
  return n % 2 ? sorted[(n - 1) >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}
