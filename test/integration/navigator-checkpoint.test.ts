// Restart from a navigator checkpoint: the state loaded from the checkpoint plus the events
// and decisions stored after it equals the state a full replay of the store rebuilds; what
// came after the checkpoint is applied; a checkpoint that cannot be used means a full replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import type { NavigatorState } from '../../server/navigator/state.js'
import type { NavigatorService } from '../../server/navigator-service/service.js'
import { startDemo } from '../../server/sim/demo.js'
import { toChTime } from '../../server/store/query.js'
import { allEventBuilders as b } from '../fixtures/events.js'
import { post, startTestServer, tempDataDir, TEST_KEYS, type TestServer } from '../helpers/runtime.js'

const dataDir = tempDataDir()
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const quiet = { info: () => {}, warn: () => {} }

async function start(useCheckpoint = true, log: { info(m: string): void; warn(m: string): void } = quiet): Promise<{ server: TestServer; service: NavigatorService }> {
  // Small chunks: every checkpoint here is stored in many and read back from them.
  const server = await startTestServer({ dataDir, runtime: { navigator: true, navigatorOptions: { useCheckpoint, log, checkpointChunkBytes: 32 * 1024 } } })
  return { server, service: server.runtime.navigator! }
}

/** Stops like a crash would, as far as checkpoints go: no checkpoint on the way out. */
async function stopWithoutCheckpoint(s: { server: TestServer; service: NavigatorService }) {
  await s.service.checkpoints.stop(false)
  await s.server.close({ keepData: true })
}

/**
 * The observable content of a state: stock on hand and reserved, bench hours and vendor
 * quota in use, every reservation, the open returns with each line's current decision and
 * status, grades learned, orders, catalog. Sorted, zero counters dropped (a counter that
 * went up and back down is the same as one never touched).
 */
function observable(state: NavigatorState) {
  const out: Record<string, unknown> = {}
  for (const [name, entries] of Object.entries(state.tables())) {
    const rows = entries
      .filter(([, v]) => v !== 0)
      .map(([k, v]) => {
        if (name !== 'openReturns') return [k, v]
        const open = v as { request: { eventId: string }; lines: Map<number, { decision: { decisionId: string }; status: string }>; statusByLine: Map<number, string> }
        return [k, {
          request: open.request.eventId,
          lines: [...open.lines].map(([i, l]) => [i, l.decision.decisionId, l.status]).sort(),
          statusByLine: [...open.statusByLine].sort(),
        }]
      })
    out[name] = rows.sort((x, y) => (JSON.stringify(x[0]) < JSON.stringify(y[0]) ? -1 : 1))
  }
  // Through JSON: a key holding undefined is the same as no key.
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>
}

describe('restart from a navigator checkpoint', () => {
  let fullReplay: ReturnType<typeof observable>
  const after = { rmaId: '', nodeId: '', sku: '', onHandBefore: 0 }

  beforeAll(async () => {
    // Five simulated days through the real ingest path.
    const first = await start()
    let live!: () => void
    const wentLive = new Promise<void>((r) => { live = r })
    const demo = await startDemo(first.server.runtime.ctx, first.service.network, {
      enabled: true, backfillDays: 5, backfillOrdersPerDay: 200, batchSize: 200,
      log: { info: (m: string) => { if (String(m).includes('going live')) live() }, warn: () => {}, error: console.error },
    })
    await Promise.race([wentLive, demo.done])
    await demo.stop()
    await stopWithoutCheckpoint(first)

    // A checkpoint of the state as a restart rebuilds it (a live state can differ from a
    // replay of the same store, see the report of this change), then events after it.
    const second = await start(false)
    expect(await second.service.checkpoints.checkpoint()).toBe(true)
    expect(second.service.checkpoints.last?.chunks).toBeGreaterThan(3)
    after.nodeId = second.service.network.nodes[0].id
    after.sku = [...second.service.network.catalog.keys()][0]
    after.onHandBefore = second.service.navigator.state.onHand(0, after.sku)
    // Stamped now: a full replay applies events in occurredAt order, so an adjustment dated
    // before the demo's stock snapshots would be overwritten by them there (not here).
    const occurredAt = new Date().toISOString()
    const request = b.returnRequested({ occurredAt })
    after.rmaId = request.rmaId as string
    const res = await post(`${second.server.url}/api/v1/events`,
      [request, b.inventoryAdjusted({ nodeId: after.nodeId, sku: after.sku, delta: 7, reason: 'found', occurredAt })], TEST_KEYS.ingest)
    expect(res.body.accepted).toBe(2)
    await stopWithoutCheckpoint(second)

    const full = await start(false)
    expect(full.service.restored.from).toBe('full')
    fullReplay = observable(full.service.navigator.state)
    await stopWithoutCheckpoint(full)
  }, 120_000)

  it('loads the checkpoint, replays only the tail, and ends with the state of a full replay', async () => {
    const s = await start()
    try {
      const restored = s.service.restored
      expect(restored.from).toBe('checkpoint')
      expect(restored.events).toBeGreaterThan(0)
      expect(observable(s.service.navigator.state)).toEqual(fullReplay)
      expect(Object.keys(fullReplay)).toEqual(expect.arrayContaining(['reservationsByDecision', 'benchByKey', 'onHandByKey', 'openReturns']))
      expect((fullReplay.reservationsByDecision as unknown[]).length).toBeGreaterThan(0)
    } finally {
      await stopWithoutCheckpoint(s)
    }
  })

  it('applies the events stored after the checkpoint', async () => {
    const s = await start()
    try {
      const state = s.service.navigator.state
      expect(state.onHand(0, after.sku)).toBe(after.onHandBefore + 7)
      const open = state.openReturn(after.rmaId)
      expect(open?.lines.size).toBe(1)
    } finally {
      await stopWithoutCheckpoint(s)
    }
  })

  it('a clean shutdown stores a checkpoint holding everything: the next start replays nothing', async () => {
    const s = await start()
    await s.server.close({ keepData: true }) // clean: the final checkpoint is written
    const again = await start()
    try {
      expect(again.service.restored).toMatchObject({ from: 'checkpoint', events: 0, decisions: 0 })
      expect(observable(again.service.navigator.state)).toEqual(fullReplay)
    } finally {
      await stopWithoutCheckpoint(again)
    }
  })

  it('falls back to a full replay, logged, when no checkpoint can be read', async () => {
    const setup = await start()
    const client = setup.server.runtime.ctx.store.client
    await client.command({ query: 'TRUNCATE TABLE navigator_checkpoints' })
    await client.command({ query: 'TRUNCATE TABLE navigator_checkpoint_chunks' })
    const at = Date.now()
    const { networkFingerprint, SNAPSHOT_FORMAT } = await import('../../server/navigator/snapshot.js')
    const network = networkFingerprint(setup.service.network)
    const row = (over: Record<string, unknown>) => ({
      taken_at: toChTime(at), format: SNAPSHOT_FORMAT, network, cut_received_at: toChTime(at), cut_event_ids: [], cut_decision_ids: [], state: '', chunks: 1, ...over,
    })
    const chunk = (s: typeof setup, ms: number, i: number, text: string) => s.server.runtime.ctx.store.rows.insertTabSeparated('navigator_checkpoint_chunks', Buffer.from(`${toChTime(ms)}\t${i}\t${text}\n`))
    // The single-row layout before chunks, another snapshot layout, a truncated chunk,
    // and a checkpoint whose second chunk was never written. The loader reads the newest two.
    await client.insert({ table: 'navigator_checkpoints', format: 'JSONEachRow', values: [row({ format: 3, chunks: 0, state: '{"tables":{}}' }), row({ taken_at: toChTime(at + 1), format: 999 })] })
    await chunk(setup, at + 1, 0, '{}')
    await stopWithoutCheckpoint(setup)
    const warnings: string[] = []
    const s1 = await start(true, { info: () => {}, warn: (m) => warnings.push(m) })
    try {
      expect(s1.service.restored.from).toBe('full')
      expect(s1.service.restored.skipped).toEqual([expect.stringMatching(/format 999/), expect.stringMatching(/format 3/)])
      expect(warnings.join('\n')).toMatch(/full replay/)
      expect(observable(s1.service.navigator.state)).toEqual(fullReplay)
    } finally {
      await stopWithoutCheckpoint(s1)
    }

    const setup2 = await start()
    await setup2.server.runtime.ctx.store.client.insert({ table: 'navigator_checkpoints', format: 'JSONEachRow', values: [row({ taken_at: toChTime(at + 2) }), row({ taken_at: toChTime(at + 3), chunks: 2 })] })
    await chunk(setup2, at + 2, 0, '{"onHandByKey":[[')
    await chunk(setup2, at + 3, 0, '{}')
    await stopWithoutCheckpoint(setup2)
    const s2 = await start(true)
    try {
      expect(s2.service.restored.from).toBe('full')
      expect(s2.service.restored.skipped).toEqual([expect.stringMatching(/not all of its 2 chunks/), expect.stringMatching(/chunk 0: not valid JSON/)])
      expect(observable(s2.service.navigator.state)).toEqual(fullReplay)
    } finally {
      await stopWithoutCheckpoint(s2)
    }
  })
})

// Runs last: it adds a decision to the store the tests above compare against.
describe('restart with an orphan decision (its event was refused, so never stored)', () => {
  it('holds no reservation for it, from a checkpoint and from a full replay', async () => {
    const setup = await start()
    const client = setup.server.runtime.ctx.store.client
    const state = setup.service.navigator.state
    const held = (state.tables().reservationsByDecision ?? []).map(([id]) => String(id))
    expect(held.length).toBeGreaterThan(0)
    const kept = held[0]
    // The checkpoint first, so the orphan lies in the tail a checkpoint restart replays.
    expect(await setup.service.checkpoints.checkpoint()).toBe(true)
    const rs = await client.query({ query: 'SELECT * FROM decisions FINAL WHERE decision_id = {id:String}', query_params: { id: kept }, format: 'JSONEachRow' })
    const [row] = await rs.json<Record<string, unknown>>()
    expect(row).toBeDefined()
    // A re-decision of the same line, written before its event, whose event never was.
    const orphan = `${kept}-orphan`
    const now = toChTime(Date.now())
    await client.insert({
      table: 'decisions', format: 'JSONEachRow',
      values: [{ ...row, decision_id: orphan, event_id: 'never-stored-event', supersedes: kept, decided_at: now, received_at: now }],
    })
    await stopWithoutCheckpoint(setup)

    for (const useCheckpoint of [true, false]) {
      const s = await start(useCheckpoint)
      try {
        expect(s.service.restored.from).toBe(useCheckpoint ? 'checkpoint' : 'full')
        const restored = s.service.navigator.state
        expect(restored.reservationOf(orphan)).toBeUndefined()
        expect(restored.reservationOf(kept)).toBeDefined()
      } finally {
        await stopWithoutCheckpoint(s)
      }
    }
  })
})
