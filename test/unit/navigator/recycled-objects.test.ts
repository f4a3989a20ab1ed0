// Objects the navigator refills instead of allocating: decideLine builds each line's
// candidates in the previous line's objects (candidate.ts CandidatePool), every
// enumeration writes its channel options into the same per-node tables (recovery.ts
// NodeOptionTables), and a plan's bookings are one walk (plan-uses.ts walkPlanUses) that
// both the reservations a decision holds and the enumeration's capacity check read.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ReturnRequested } from '../../../server/contracts/events.js'
import { usesOfReservations, type ResourceKind } from '../../../server/navigator/capacity.js'
import { enumerateCandidates } from '../../../server/navigator/candidates.js'
import { decideLine, type IdSource } from '../../../server/navigator/decide.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../../server/navigator/engine.js'
import { buildLineContext, type LineInput } from '../../../server/navigator/line-context.js'
import { loadNetworkOrThrow } from '../../../server/navigator/network.js'
import { plannedReservations, walkPlanUses } from '../../../server/navigator/plan-uses.js'
import { DEMO_NETWORK_PATH } from '../../../server/network/network-file.js'
import { demoInventorySnapshots, demoReturnRequests } from '../../../server/sim/demo-network/requests.js'

const W = DEFAULT_WEIGHTS_VERSION
const START = new Date('2026-11-02T01:00:00Z')
const net = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))

/** The demo network's stock, and the lines of a demo stream recorded as open but not decided. */
function openLines(count: number, seed: number): { nav: Navigator; lines: LineInput[] } {
  const nav = new Navigator(net, () => 'unused', () => 'unused')
  for (const snap of demoInventorySnapshots(net, START)) nav.applyEvent(snap, START, W)
  const requests: ReturnRequested[] = demoReturnRequests(net, { count, seed, start: START })
  const lines = requests.flatMap((r) => {
    const open = nav.state.recordRequest(r)
    return r.lines.map((_, lineIndex) => ({ request: open.request, lineIndex }))
  })
  return { nav, lines }
}

describe('objects reused from one line to the next', () => {
  it('a line is decided the same whatever lines were decided before it', () => {
    const { nav, lines } = openLines(80, 23)
    // Ids from the line itself, so both orders name each decision alike; the state is not
    // changed by decideLine, so each line sees the same state in both orders.
    const ids = (line: LineInput): IdSource => ({ newId: () => `d-${line.request.rmaId}-${line.lineIndex}`, newToken: () => 'token' })
    const decide = (line: LineInput) => decideLine(line, nav.state, net, W, new Date(line.request.occurredAt), ids(line))
    const forward = lines.map(decide)
    const backward = [...lines].reverse().map(decide).reverse()
    expect(backward).toEqual(forward)
    // Lines unlike each other: a refilled object carries over nothing from a different plan.
    expect(new Set(forward.map((d) => d.resolution)).size).toBeGreaterThanOrEqual(4)
    const feasible = (d: (typeof forward)[number]) => d.candidates - Object.values(d.rejections).reduce((a, b) => a + b, 0)
    expect(new Set(forward.map(feasible)).size).toBeGreaterThan(10)
  })

  it("a plan's walk visits exactly the slots its planned reservations list, in their order", () => {
    const { nav, lines } = openLines(300, 29)
    const kinds = new Set<ResourceKind>()
    let plans = 0
    for (const line of lines) {
      const ctx = buildLineContext(line, nav.state, net, Date.parse(line.request.occurredAt))
      // Every plan, whatever it would book: each bench day, every source's stock, quotas.
      for (const c of enumerateCandidates(ctx, nav.state, net, W.policy, { ignoreCapacity: true, relaxPolicy: true }).candidates) {
        const visited: { kind: ResourceKind; scope: string; slot: string | number; amount: number }[] = []
        walkPlanUses(c, ctx, nav.state, net, {
          visit: (kind, node, slot, amount) => {
            visited.push({ kind, scope: node < 0 ? ctx.vendorId! : net.nodes[node].id, slot, amount })
            return true
          },
        })
        expect(visited).toEqual(usesOfReservations(plannedReservations(c, ctx, nav.state, net)))
        for (const u of visited) kinds.add(u.kind)
        plans++
      }
    }
    expect(plans).toBeGreaterThan(10_000)
    expect([...kinds].sort()).toEqual(['bench', 'inspection', 'outlet', 'parts', 'rtv', 'stock'])
  })
})
