// Navigator benchmark on the demo network (figures, never asserts):
//  - decisions per second on one core, p50/p99 per line decision, candidates per decision;
//  - what-if preview time for 10,000 re-decided requests (both weight sets);
//  - on 10,000 simulated returns: navigator total net cost and median customer wait as
//    ratios to the baseline policy decided alongside (targets ≤ 0.8 and ≤ 0.4).
// Medians over REPEATS repetitions. Run alone: `npx tsx test/bench/navigator.bench.ts`.
import { readFileSync } from 'node:fs'
import type { Decision } from '../../server/contracts/decision.js'
import type { ReturnRequested } from '../../server/contracts/events.js'
import { decideLine } from '../../server/navigator/decide.js'
import { demoInventorySnapshots, demoReturnRequests } from '../../server/sim/demo-network/requests.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../server/navigator/engine.js'
import { DEMO_NETWORK_PATH } from '../../server/network/network-file.js'
import { loadNetworkOrThrow, type Network } from '../../server/navigator/network.js'

const REPEATS = 3
const STREAM = 10_000
const WARMUP = 2_000
const START = new Date('2026-11-02T00:00:00Z')
const W = DEFAULT_WEIGHTS_VERSION

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]
}
const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5)
const r3 = (x: number) => Math.round(x * 1000) / 1000

function freshNavigator(net: Network): Navigator {
  let n = 0
  const nav = new Navigator(net, () => `bench-${++n}`, () => `tok-${n}`)
  for (const snap of demoInventorySnapshots(net, START)) nav.applyEvent(snap, START, W)
  return nav
}

/** Decide every line of the stream as the engine does, timing each line on its own. */
function runStream(net: Network, requests: ReturnRequested[]) {
  const nav = freshNavigator(net)
  let n = 0
  const ids = { newId: () => `s-${++n}`, newToken: () => `t-${n}` }
  const lineMs: number[] = []
  const decisions: Decision[] = []
  for (const request of requests) {
    const now = new Date(request.occurredAt)
    const open = nav.state.recordRequest(request)
    for (let i = 0; i < request.lines.length; i++) {
      const t0 = performance.now()
      const d = decideLine({ request: open.request, lineIndex: i }, nav.state, net, W, now, ids)
      nav.state.recordDecision(d)
      lineMs.push(performance.now() - t0)
      decisions.push(d)
    }
  }
  return { nav, lineMs, decisions }
}

function outcomeRatios(decisions: Decision[]) {
  let cost = 0
  let baselineCost = 0
  const waits: number[] = []
  const baselineWaits: number[] = []
  for (const d of decisions) {
    cost += d.totals.netCost
    baselineCost += d.baseline.totals.netCost
    waits.push(d.totals.waitHours)
    baselineWaits.push(d.baseline.totals.waitHours)
  }
  const medianWait = median(waits)
  const baselineMedianWait = median(baselineWaits)
  return {
    totalNetCost: Math.round(cost),
    baselineTotalNetCost: Math.round(baselineCost),
    costRatio: r3(cost / baselineCost),
    medianWaitHours: r3(medianWait),
    baselineMedianWaitHours: r3(baselineMedianWait),
    medianWaitRatio: r3(medianWait / baselineMedianWait),
  }
}

export async function runNavigatorBench(): Promise<Record<string, unknown>> {
  const net = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))
  const warmup = demoReturnRequests(net, { count: WARMUP, seed: 99, start: START })
  runStream(net, warmup)

  const reps: Record<string, number>[] = []
  let mix: Record<string, number> = {}
  for (let rep = 0; rep < REPEATS; rep++) {
    const requests = demoReturnRequests(net, { count: STREAM, seed: 1000 + rep, start: START })
    const t0 = performance.now()
    const { nav, lineMs, decisions } = runStream(net, requests)
    const wallMs = performance.now() - t0
    const sorted = [...lineMs].sort((a, b) => a - b)
    const candidates = decisions.map((d) => d.candidates)
    const ratios = outcomeRatios(decisions)

    // What-if: the same 10,000 requests re-decided under the weights in force and a candidate.
    const candidate = { ...W, version: W.version + 1, weights: { ...W.weights, wait: W.weights.wait * 0.5, co2: W.weights.co2 * 2 } }
    const p0 = performance.now()
    const preview = nav.preview(requests, candidate, W, START)
    const previewMs = performance.now() - p0

    reps.push({
      lines: decisions.length,
      decisionsPerSecond: decisions.length / (sorted.reduce((a, b) => a + b, 0) / 1000),
      streamWallDecisionsPerSecond: decisions.length / (wallMs / 1000),
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      maxMs: sorted[sorted.length - 1],
      meanCandidates: candidates.reduce((a, b) => a + b, 0) / candidates.length,
      medianCandidates: median(candidates),
      previewMs,
      previewReDecisions: preview.lines * 2,
      previewChanged: preview.changed,
      ...ratios,
    })
    if (rep === 0) {
      mix = {}
      for (const d of decisions) mix[`${d.resolution}/${d.inboundMode}/${d.disposition}`] = (mix[`${d.resolution}/${d.inboundMode}/${d.disposition}`] ?? 0) + 1
    }
  }
  const med = (k: string) => r3(median(reps.map((r) => r[k])))
  return {
    network: { nodes: net.nodes.length, receivingNodes: net.receivingNodes.length, skus: net.file.catalog.length },
    repeats: REPEATS,
    requestsPerRepeat: STREAM,
    linesPerRepeat: med('lines'),
    decisionsPerSecondOneCore: Math.round(med('decisionsPerSecond')),
    streamWallDecisionsPerSecond: Math.round(med('streamWallDecisionsPerSecond')),
    p50MsPerDecision: med('p50Ms'),
    p99MsPerDecision: med('p99Ms'),
    maxMsPerDecision: med('maxMs'),
    candidatesPerDecisionMean: med('meanCandidates'),
    candidatesPerDecisionMedian: med('medianCandidates'),
    whatIf10kRequestsMs: med('previewMs'),
    whatIfReDecisions: med('previewReDecisions'),
    whatIfChangedLines: med('previewChanged'),
    costRatioVsBaseline: med('costRatio'),
    medianWaitRatioVsBaseline: med('medianWaitRatio'),
    navigatorTotalNetCost: med('totalNetCost'),
    baselineTotalNetCost: med('baselineTotalNetCost'),
    navigatorMedianWaitHours: med('medianWaitHours'),
    baselineMedianWaitHours: med('baselineMedianWaitHours'),
    targets: { p99MsPerDecision: '< 1', whatIf10kRequestsMs: '< 2000', costRatioVsBaseline: '<= 0.8', medianWaitRatioVsBaseline: '<= 0.4' },
    pathMixFirstRepeat: Object.fromEntries(Object.entries(mix).sort((a, b) => b[1] - a[1]).slice(0, 15)),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runNavigatorBench().then((r) => console.log(JSON.stringify(r, null, 2)))
}
