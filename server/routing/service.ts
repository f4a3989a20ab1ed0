// The navigator as a server component: builds it from the network file, restores its
// state from the store, plugs it into ingestion as the event router, and serves the
// what-if preview. The navigator itself stays pure; all I/O is here.
import type { ClickHouseClient } from '@clickhouse/client'
import type { Config } from '../config.js'
import type { Decision } from '../contracts/decision.js'
import type { Event } from '../contracts/events.js'
import type { WeightsVersion } from '../contracts/weights.js'
import type { DecisionRecord, EventRouter } from '../ingest/router.js'
import { DEFAULT_POLICY, DEFAULT_WEIGHTS, Navigator } from '../navigator/engine.js'
import { DEMO_NETWORK_PATH, readNetworkFile } from '../navigator/network-file.js'
import type { Network } from '../navigator/network.js'
import type { ReturnSnapshot } from '../navigator/state.js'
import { insertCapacityChange, latestCapacities } from '../store/capacity-repo.js'
import { recentReturnRequests } from '../store/returns-repo.js'
import { WeightsService } from '../weights/service.js'
import { EventScopedIds } from './ids.js'
import { restoreNavigator } from './restore.js'

export interface NavigatorService {
  network: Network
  navigator: Navigator
  weights: WeightsService
  router: EventRouter
  preview(candidate: WeightsVersion, limit: number): Promise<unknown>
  /**
   * Stores an operator's change of a node's repair bench hours and re-decides the open
   * repairs that no longer fit. The caller writes the returned decisions durably.
   */
  setRepairCapacity(nodeId: string, hoursPerDay: number, author: string, now: Date): Promise<DecisionRecord[]>
  restored: { events: number; decisions: number }
}

export class UnknownRepairNodeError extends Error {}

/**
 * The time a decision is made at: the event's own time, so a replay or a history import
 * decides as of then; never later than arrival, so a producer's clock running ahead
 * cannot stamp decisions in the future.
 */
export function decisionTime(event: Event, receivedAt: Date): Date {
  const occurred = Date.parse(event.occurredAt)
  return new Date(Math.min(occurred, receivedAt.getTime()))
}

export async function createNavigatorService(config: Pick<Config, 'NETWORK_FILE'>, client: ClickHouseClient): Promise<NavigatorService> {
  const network = await readNetworkFile(config.NETWORK_FILE ?? DEMO_NETWORK_PATH)
  const ids = new EventScopedIds()
  const navigator = new Navigator(network, ids.newId, ids.newToken)
  const weights = new WeightsService(client, { weights: DEFAULT_WEIGHTS, policy: { ...DEFAULT_POLICY, ...network.file.policy } })
  await weights.load()
  for (const { nodeId, hours } of await latestCapacities(client)) {
    const idx = network.nodeIndex.get(nodeId)
    if (idx !== undefined) navigator.state.setBenchHoursPerDay(idx, hours)
  }
  const restored = await restoreNavigator(client, navigator)

  const categoryOf = (sku: string) =>
    navigator.state.catalogItem(sku)?.category ?? network.catalog.get(sku)?.category ?? network.file.rules.unknownSkuCategory
  const toRecords = (decisions: Decision[]): DecisionRecord[] => decisions.map((decision) => {
    const request = navigator.state.openReturn(decision.rmaId)?.request
    return { decision, category: categoryOf(decision.sku), reason: request?.lines[decision.lineIndex]?.reason ?? '' }
  })

  // The return an event changes, as it was before: kept until the write of the event
  // settles (a WeakMap, so a settled event's snapshot goes with the event). Requests and
  // inspections are undone this way; stock and status events are facts about the world
  // whose effects stay (a snapshot re-sent is idempotent; see the note on adjustments).
  const before = new WeakMap<Event, ReturnSnapshot>()
  const router: EventRouter = {
    route(event, receivedAt): DecisionRecord[] {
      ids.beginEvent(event.eventId)
      if (event.type === 'return.requested' || event.type === 'return.inspected') {
        before.set(event, navigator.state.snapshotReturn(event.rmaId))
      }
      return toRecords(navigator.applyEvent(event, decisionTime(event, receivedAt), weights.inForce))
    },
    undo(event) {
      const snapshot = before.get(event)
      if (snapshot) navigator.state.restoreReturn(snapshot)
    },
  }

  return {
    network, navigator, weights, router, restored,
    async setRepairCapacity(nodeId, hoursPerDay, author, now) {
      const idx = network.nodeIndex.get(nodeId)
      if (idx === undefined || !network.file.nodes[idx].capabilities.includes('repair')) {
        throw new UnknownRepairNodeError(`${nodeId} is not a node with a repair bench`)
      }
      // Stored first: if the store refuses, nothing changes in the navigator either.
      await insertCapacityChange(client, { nodeId, repairBenchHoursPerDay: hoursPerDay, author, changedAt: now })
      ids.beginEvent(`capacity:${nodeId}:${now.toISOString()}`)
      return toRecords(navigator.setRepairCapacity(nodeId, hoursPerDay, now, weights.inForce))
    },
    async preview(candidate, limit) {
      const loadStarted = performance.now()
      const requests = await recentReturnRequests(client, limit)
      const decideStarted = performance.now()
      const result = navigator.preview(requests, candidate, weights.inForce, new Date())
      return {
        ...result,
        timings: { loadMs: Math.round(decideStarted - loadStarted), decideMs: Math.round(performance.now() - decideStarted) },
      }
    },
  }
}
