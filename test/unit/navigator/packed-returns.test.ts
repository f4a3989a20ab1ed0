// Open returns the state packs as text (state.ts OpenReturn) decide, re-decide, answer
// offers and list them exactly as returns held as objects do. A fork never packs, so a
// navigator on a fork of an empty state is the same navigator without packing.
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import type { Decision } from '../../../server/contracts/decision.js'
import type { Event } from '../../../server/contracts/events.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../../server/navigator/engine.js'
import { loadNetworkOrThrow } from '../../../server/navigator/network.js'
import { heldDecision, NavigatorState, OpenLine, OpenLines, type HeldDecision } from '../../../server/navigator/state.js'
import { DEMO_NETWORK_PATH } from '../../../server/network/network-file.js'
import { demoInventorySnapshots, demoReturnRequests } from '../../../server/sim/demo-network/requests.js'
import { allEventBuilders as b } from '../../fixtures/events.js'

const START = new Date('2026-11-02T00:00:00Z')
const network = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))
const RETURNS = 2_800

function navigatorOn(state: NavigatorState): Navigator {
  let n = 0
  return new Navigator(network, () => `d-${++n}`, () => `tok-${n}`, state)
}

/** Everything the navigator answers to one stream: decisions, pending offers, a re-sent request. */
function run(nav: Navigator) {
  const out: unknown[] = []
  const apply = (e: unknown) => out.push(nav.applyEvent(e as Event, START, DEFAULT_WEIGHTS_VERSION))
  for (const snap of demoInventorySnapshots(network, START)) apply(snap)
  const requests = demoReturnRequests(network, { count: RETURNS, seed: 11, start: START })
  const first = new Map<string, Decision[]>()
  for (const r of requests) first.set(r.rmaId, nav.decideRequest(r, new Date(r.occurredAt), DEFAULT_WEIGHTS_VERSION))
  out.push([...first.values()])
  const nodeId = network.nodes[0].id
  // The oldest returns, packed by now in the live state: statuses, inspections, offers, a re-send.
  for (const r of requests.slice(0, 60)) {
    apply(b.returnStatus({ rmaId: r.rmaId, status: 'received', nodeId, occurredAt: START.toISOString() }))
    apply(b.returnInspected({ rmaId: r.rmaId, sku: r.lines[0].sku, grade: 'C', nodeId, occurredAt: START.toISOString() }))
  }
  const pending = nav.pendingOffers(START, 1_000)
  out.push(pending)
  for (const offer of pending.slice(0, 20)) {
    apply({ eventId: `answer-${offer.offerId}`, type: 'return.offer_answered', occurredAt: START.toISOString(), rmaId: offer.rmaId, lineIndex: offer.lineIndex, offerId: offer.offerId, accepted: true })
  }
  out.push(nav.decideRequest({ ...requests[100], eventId: 'resent' }, START, DEFAULT_WEIGHTS_VERSION))
  for (const r of requests.slice(200, 220)) apply(b.returnStatus({ rmaId: r.rmaId, status: 'closed', occurredAt: START.toISOString() }))
  return { out, first, requests }
}

it('a state that packs its older open returns answers every event as one that never packs', () => {
  const live = new NavigatorState(network)
  const packing = run(navigatorOn(live))
  const unpacked = run(navigatorOn(new NavigatorState(network).fork()))
  expect(JSON.stringify(packing.out)).toBe(JSON.stringify(unpacked.out))

  // Most returns were packed, the ones changed last were not.
  const states = [...live.openReturns.entries()].map(([, open]) => open.packed)
  expect(states.filter(Boolean).length).toBeGreaterThan(600)
  expect(live.openReturn(packing.requests.at(-1)!.rmaId)!.packed).toBe(false)
  // A packed return reads back what it was given.
  const oldest = packing.requests.slice(300).find((r) => live.openReturn(r.rmaId)?.packed)!
  expect(oldest).toBeDefined()
  const open = live.openReturn(oldest.rmaId)!
  expect(open.request).toEqual(oldest)
  expect(open.lines.get(0)!.decision).toEqual(JSON.parse(JSON.stringify(heldDecision(packing.first.get(oldest.rmaId)![0]))))
})

it("an open return's lines: one held inline, more in a map, always in index order", () => {
  const d = (id: string) => ({ decisionId: id, receivingNodeId: null, resolution: 'refund', priority: 1, qty: 1 }) as unknown as HeldDecision
  const lines = new OpenLines()
  lines.set(2, new OpenLine(d('c'), 'requested'))
  lines.set(0, new OpenLine(d('a'), 'requested'))
  lines.set(1, new OpenLine(d('b'), 'requested'))
  expect([...lines].map(([i, l]) => [i, l.decisionId])).toEqual([[0, 'a'], [1, 'b'], [2, 'c']])
  lines.set(2, new OpenLine(d('c2'), 'received'))
  expect(lines.size).toBe(3)
  // Deleting while iterating (closing every line) visits each line once.
  const seen: string[] = []
  for (const [i, line] of lines) { seen.push(line.decisionId); lines.delete(i) }
  expect(seen).toEqual(['a', 'b', 'c2'])
  expect(lines.size).toBe(0)
  expect(lines.get(2)).toBeUndefined()
  lines.set(5, new OpenLine(d('e'), 'requested'))
  expect([...lines.values()].map((l) => l.decisionId)).toEqual(['e'])
  expect(lines.has(5) && !lines.has(0)).toBe(true)
})
