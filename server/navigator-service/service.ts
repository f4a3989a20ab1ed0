// The navigator as a server component: builds it from the network file, restores its
// state from the store, plugs it into ingestion as the event router, and serves the
// what-if preview. The navigator itself stays pure; all I/O is here.
import type { ClickHouseClient } from '@clickhouse/client'
import type { Config } from '../config.js'
import type { Decision } from '../contracts/decision.js'
import type { Event } from '../contracts/events.js'
import type { WeightsVersion } from '../contracts/weights.js'
import type { DecisionRecord } from '../contracts/decision-record.js'
import type { EventRouter } from '../ingest/router.js'
import { DEFAULT_POLICY, DEFAULT_WEIGHTS, Navigator } from '../navigator/engine.js'
import { DEMO_NETWORK_PATH, readNetworkFile } from '../network/network-file.js'
import type { Network } from '../navigator/network.js'
import { insertCapacityChange, insertLimitChanges, latestCapacities, latestLimits, LIMIT_KINDS } from '../store/capacity-repo.js'
import { applyNodeCapacity, type NodeCapacityChange } from '../navigator/capacity.js'
import { storedCut } from '../store/checkpoint-repo.js'
import type { RowSink } from '../store/row-sink.js'
import { recentReturnRequests } from '../store/returns-repo.js'
import { WeightsService } from '../weights/service.js'
import { EventScopedIds } from './ids.js'
import { InFlightReturns } from './in-flight.js'
import { Checkpointer } from './checkpoints.js'
import { restoreState, type RestoreLog, type RestoreStats } from './restore.js'

export interface NavigatorService {
  network: Network
  navigator: Navigator
  weights: WeightsService
  router: EventRouter
  preview(candidate: WeightsVersion, limit: number): Promise<unknown>
  /**
   * Stores an operator's change of a node's capacity (bench hours, inspections, outlet
   * units, the vendor's RTV quota), puts it in force, awaits `reprice` (new bid prices for
   * it) and re-plans the bookings that no longer fit. The caller writes the returned
   * decisions durably, and calls confirm() once that write is durable or undo() if it fails.
   */
  setCapacity(nodeId: string, change: NodeCapacityChange, author: string, now: Date, reprice?: () => Promise<void>): Promise<{ records: DecisionRecord[]; undo: () => void; confirm: () => void }>
  /** How the state was rebuilt on start (from a checkpoint or a full replay) and what it took. */
  restored: RestoreStats
  checkpoints: Checkpointer
  /** Stops the periodic checkpoints and stores a last one (clean shutdown). */
  close(): Promise<void>
}

export interface NavigatorServiceOptions {
  /** Start from the newest checkpoint (default); false rebuilds by a full replay. */
  useCheckpoint?: boolean
  /** Between periodic checkpoints; default five minutes. */
  checkpointEveryMs?: number
  /** How long a periodic checkpoint waits for a moment without ingest; default 30 minutes. */
  checkpointMaxDeferMs?: number
  /** Bound on a checkpoint chunk's bytes (snapshot.ts); tests make it small. */
  checkpointChunkBytes?: number
  log?: RestoreLog
}

const CHECKPOINT_EVERY_MS = 5 * 60_000

export class UnknownRepairNodeError extends Error {}
/** A limit the node cannot take (an RTV quota on a node with no vendor); `field` names it. */
export class CapacityChangeError extends Error {
  constructor(readonly field: string, message: string) { super(message) }
}

/** What routing one event changed in the live state (see the router below). */
interface StockChanges {
  stock: { nodeIdx: number; sku: string; change: number }[]
}

/**
 * The time a decision is made at: the event's own time, so a replay or a history import
 * decides as of then; never later than arrival, so a producer's clock running ahead
 * cannot stamp decisions in the future.
 */
export function decisionTime(event: Event, receivedAt: Date): Date {
  const occurred = Date.parse(event.occurredAt)
  return new Date(Math.min(occurred, receivedAt.getTime()))
}

export async function createNavigatorService(
  config: Pick<Config, 'NETWORK_FILE'>, store: { client: ClickHouseClient; rows: RowSink }, options: NavigatorServiceOptions = {},
): Promise<NavigatorService> {
  const { client } = store
  const network = await readNetworkFile(config.NETWORK_FILE ?? DEMO_NETWORK_PATH)
  const ids = new EventScopedIds()
  const weights = new WeightsService(client, { weights: DEFAULT_WEIGHTS, policy: { ...DEFAULT_POLICY, ...network.file.policy } })
  await weights.load()
  const log = options.log ?? console
  const { target: navigator, stats: restored } = await restoreState(client, network,
    (state) => new Navigator(network, ids.newId, ids.newToken, state), {
      useCheckpoint: options.useCheckpoint ?? true,
      log,
      // Operator changes of bench hours win over what the checkpoint or the replay says.
      beforeReplay: async (nav) => {
        for (const { nodeId, hours } of await latestCapacities(client)) {
          const idx = network.nodeIndex.get(nodeId)
          if (idx !== undefined) nav.state.setBenchHoursPerDay(idx, hours)
        }
        for (const { nodeId, kind, value } of await latestLimits(client)) applyNodeCapacity(nav.state, network, nodeId, { [kind]: value })
      },
    })
  log.info(`navigator restored (${restored.from === 'checkpoint' ? `checkpoint of ${restored.checkpointTakenAt} + tail` : 'full replay'}): ${restored.events} events, ${restored.decisions} decisions in ${restored.loadMs + restored.replayMs} ms`)
  // Nothing is routed before this service exists, so the restored state holds everything stored.
  const checkpoints = new Checkpointer(client, store.rows, network, () => navigator.state, {
    everyMs: options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS, maxDeferMs: options.checkpointMaxDeferMs, chunkBytes: options.checkpointChunkBytes, log,
  }, await storedCut(client))
  if (restored.from === 'full' || restored.events + restored.decisions > 0) checkpoints.markChanged()
  checkpoints.start()

  const categoryOf = (sku: string) =>
    navigator.state.catalogItem(sku)?.category ?? network.catalog.get(sku)?.category ?? network.file.rules.unknownSkuCategory
  const toRecords = (decisions: Decision[], receivedAt: Date): DecisionRecord[] => decisions.map((decision) => {
    const request = navigator.state.openReturn(decision.rmaId)?.request
    return { decision, category: categoryOf(decision.sku), reason: request?.lines[decision.lineIndex]?.reason ?? '', receivedAt }
  })

  // What an event changed, kept until its write settles: every return it re-decided (its
  // own request or inspection, and the returns a stock drop re-routed), as they were
  // before (inFlight, which also orders changes to one return made by requests in flight
  // together), and the stock on hand it moved (a WeakMap, so a settled event's record
  // goes with the event). undo() puts them back, so the producer's retry finds the
  // navigator as if the event had never come: an adjustment is not applied twice, and no
  // return keeps a decision that was never stored. Status events stay applied: they
  // record what happened to a parcel, and the retry applies them again to the same effect.
  const changes = new WeakMap<Event, StockChanges>()
  const inFlight = new InFlightReturns()
  const stockKeys = (event: Event): { nodeIdx: number; sku: string }[] => {
    const nodeIdx = event.type === 'inventory.adjusted' || event.type === 'inventory.snapshot' ? network.nodeIndex.get(event.nodeId) : undefined
    if (nodeIdx === undefined) return []
    if (event.type === 'inventory.adjusted') return [{ nodeIdx, sku: event.sku }]
    return event.type === 'inventory.snapshot' ? event.items.map((i) => ({ nodeIdx, sku: i.sku })) : []
  }
  const router: EventRouter = {
    route(event, receivedAt): DecisionRecord[] {
      ids.beginEvent(event.eventId)
      const state = navigator.state
      const stock = stockKeys(event).map((k) => ({ ...k, was: state.onHand(k.nodeIdx, k.sku) }))
      state.beginJournal()
      let decided: Decision[] = []
      try {
        if (event.type === 'return.requested' || event.type === 'return.inspected' || event.type === 'return.offer_answered') state.journalReturn(event.rmaId)
        decided = navigator.applyEvent(event, decisionTime(event, receivedAt), weights.inForce)
      } finally {
        inFlight.add(event, state.takeJournal())
        changes.set(event, { stock: stock.map((k) => ({ nodeIdx: k.nodeIdx, sku: k.sku, change: state.onHand(k.nodeIdx, k.sku) - k.was })) })
        // Also when the navigator failed: the event is stored all the same, with what it changed.
        checkpoints.routed(event, event.eventId, receivedAt.getTime(), decided.map((d) => d.decisionId))
      }
      return toRecords(decided, receivedAt)
    },
    undo(event) {
      const changed = changes.get(event)
      changes.delete(event)
      const state = navigator.state
      // As deltas: another event's change to the same stock since then stays.
      for (const s of changed?.stock ?? []) if (s.change !== 0) state.adjustOnHand(s.nodeIdx, s.sku, -s.change)
      for (const snapshot of inFlight.undo(event)) state.restoreReturn(snapshot)
      checkpoints.undone(event)
      // An answer whose event was not stored was never given: the retry must be able to give it.
      if (event.type === 'return.offer_answered') state.forgetOfferAnswer(event.offerId)
    },
    confirm(event) {
      changes.delete(event)
      inFlight.confirm(event)
      checkpoints.confirmed(event)
    },
  }

  return {
    network, navigator, weights, router, restored, checkpoints,
    close: () => checkpoints.stop(true),
    async setCapacity(nodeId, capacity, author, now, reprice) {
      const idx = network.nodeIndex.get(nodeId)
      if (idx === undefined) throw new UnknownRepairNodeError(`no node ${nodeId} in the network`)
      const hoursPerDay = capacity.repairBenchHoursPerDay
      if (hoursPerDay !== undefined && !network.file.nodes[idx].capabilities.includes('repair')) {
        throw new UnknownRepairNodeError(`${nodeId} is not a node with a repair bench`)
      }
      if (capacity.rtvUnitsPerPeriod !== undefined && !vendorOfNode(network, nodeId)) {
        throw new CapacityChangeError('rtvUnitsPerPeriod', `${nodeId} is no vendor's node: it has no return-to-vendor quota`)
      }
      // Stored first: if the store refuses, nothing changes in the navigator either.
      if (hoursPerDay !== undefined) await insertCapacityChange(client, { nodeId, repairBenchHoursPerDay: hoursPerDay, author, changedAt: now })
      await insertLimitChanges(client, LIMIT_KINDS.filter((k) => capacity[k] !== undefined).map((kind) => ({ nodeId, kind, value: capacity[kind]!, author, changedAt: now })))
      // In force at once (new bookings see it); the plans it displaces keep their slots
      // until the prices of the new capacity are solved, then are re-decided with them.
      const slots = navigator.applyCapacity(nodeId, capacity)
      if (reprice) await reprice()
      const key = `capacity:${nodeId}:${now.toISOString()}`
      ids.beginEvent(key)
      const change = {}
      const stamp = checkpoints.stampNow()
      navigator.state.beginJournal()
      let decided: Decision[] = []
      try {
        decided = navigator.replanOverbooked(slots, now, weights.inForce)
      } finally {
        inFlight.add(change, navigator.state.takeJournal())
        checkpoints.routed(change, key, stamp, decided.map((d) => d.decisionId))
      }
      return {
        records: toRecords(decided, new Date(stamp)),
        // The hours stay (they are stored); the returns hold their old bench slots again,
        // so the operator's retry of the same change re-decides them.
        undo: () => {
          for (const snapshot of inFlight.undo(change)) navigator.state.restoreReturn(snapshot)
          checkpoints.undone(change)
        },
        confirm: () => { inFlight.confirm(change); checkpoints.confirmed(change) },
      }
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

/** The vendor whose returns this node takes (capacity.ts applies its quota the same way). */
function vendorOfNode(network: Network, nodeId: string): string | undefined {
  const idx = network.nodeIndex.get(nodeId)
  return (idx === undefined ? undefined : network.nodes[idx].vendorId) ?? [...network.vendors.values()].find((v) => v.nodeId === nodeId)?.id
}
