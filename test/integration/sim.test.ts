// The simulator against a real runtime (embedded ClickHouse, the navigator, HTTP): the
// demo backfills an empty store in-process and stops on demand or when real events
// arrive; the CLI's driver streams over HTTP and follows the decisions it gets back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemo, type DemoHandle } from '../../server/sim/demo.js'
import { runSimulation } from '../../server/sim/run-simulation.js'
import { query } from '../../server/store/query.js'
import { post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'

let server: TestServer
const quiet = { info: () => {}, warn: (m: unknown) => console.warn(m), error: (m: unknown, e?: unknown) => console.error(m, e) }

beforeAll(async () => {
  server = await startTestServer({ runtime: { navigator: true } }) // DEMO=0 in tests: the demo starts only when asked
})
const demos: DemoHandle[] = []
afterAll(async () => {
  for (const d of demos) await d.stop() // a failed test must not leave a stream writing into a closing store
  await server?.close()
})

async function count(sql: string, params: Record<string, unknown> = {}): Promise<number> {
  const [row] = await query<{ n: string }>(server.runtime.ctx.store.client, { query: sql, params, tag: 'test.sim' })
  return Number(row.n)
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('demo stream', () => {
  let demo: DemoHandle

  it('backfills an empty store, marks the demo active, follows lifecycles, and stops on request', async () => {
    const ctx = server.runtime.ctx
    expect(await count('SELECT count() AS n FROM raw_events')).toBe(0)
    demo = await startDemo(ctx, server.runtime.navigator!.network, {
      enabled: true, backfillDays: 6, backfillOrdersPerDay: 400, ratePerMin: 60, tickMs: 100, seed: 1, log: quiet,
    })
    demos.push(demo)
    expect(demo.mode).toBe('backfill+live')
    expect(ctx.demo.active).toBe(true)
    // History is in once the driver's simulated clock has reached the present.
    await until(() => demo.driver!.stats.simTime !== null && Date.parse(demo.driver!.stats.simTime) > Date.now() - 60_000, 60_000)

    const byType = await query<{ type: string; n: string }>(ctx.store.client, {
      query: "SELECT type, count() AS n FROM raw_events WHERE startsWith(event_id, 'demo-') GROUP BY type", tag: 'test.sim',
    })
    const n = Object.fromEntries(byType.map((r) => [r.type, Number(r.n)]))
    expect(n['catalog.upsert']).toBeGreaterThanOrEqual(1)
    expect(n['inventory.snapshot']).toBeGreaterThanOrEqual(1)
    expect(n['order.placed']).toBeGreaterThan(2000)
    expect(n['return.requested']).toBeGreaterThan(50)
    expect(n['return.status']).toBeGreaterThan(50)
    expect(n['return.inspected']).toBeGreaterThan(5)
    expect(await count("SELECT count() AS n FROM decisions WHERE startsWith(rma_id, 'RMA-')")).toBeGreaterThanOrEqual(n['return.requested'])
    // Nothing the navigator or the contracts refused.
    expect(demo.driver!.stats.rejected).toBe(0)
    // Backfilled events carry their simulated time, days in the past.
    expect(await count("SELECT count() AS n FROM raw_events WHERE occurred_at < now() - INTERVAL 5 DAY")).toBeGreaterThan(300)

    await demo.stop()
    expect(ctx.demo.active).toBe(false)
    // Stopped means the stream has ended: nothing is in flight, and all it sent is stored.
    await demo.done
    const after = await count('SELECT count() AS n FROM raw_events')
    expect(after).toBe(demo.driver!.stats.accepted)
  }, 120_000)

  it('continues a demo store live with ids of a new run, and steps aside when real events arrive', async () => {
    const ctx = server.runtime.ctx
    const again = await startDemo(ctx, server.runtime.navigator!.network, { enabled: true, ratePerMin: 60, tickMs: 100, log: quiet })
    demos.push(again)
    expect(again.mode).toBe('live')
    expect(again.driver!.world.runId).not.toBe(demo.driver!.world.runId)
    await until(() => again.driver!.stats.accepted > 0, 30_000)
    expect(again.driver!.stats.duplicates).toBe(0)

    const real = {
      eventId: 'real-order-1', type: 'order.placed', occurredAt: new Date().toISOString(), orderId: 'REAL-1',
      customer: { id: 'C-real', lat: 31.2, lon: 121.5 }, lines: [{ sku: 'AP-0001', qty: 1, unitPrice: 139 }],
    }
    expect((await post(`${server.url}/api/v1/events`, real, TEST_KEYS.ingest)).body.accepted).toBe(1)
    expect(ctx.demo.active).toBe(false)
    await again.done

    const third = await startDemo(ctx, server.runtime.navigator!.network, { enabled: true, log: quiet })
    expect(third.mode).toBe('off')
    expect(ctx.demo.active).toBe(false)
  }, 60_000)
})

describe('simulate CLI driver over HTTP', () => {
  it('streams for a bounded time, and the navigator decisions come back and are followed', async () => {
    const before = await count("SELECT count() AS n FROM raw_events WHERE startsWith(event_id, 'sim-')")
    expect(before).toBe(0)
    const progress: number[] = []
    const summary = await runSimulation({
      url: server.url, key: TEST_KEYS.admin, ratePerMin: 600, durationS: 6, seed: 3, speedup: 20_000, flat: true,
      tickMs: 100, progressEveryMs: 500, onProgress: (p) => progress.push(p.sent), log: { warn: (m) => console.warn(m) },
    })
    expect(summary.error).toBeUndefined()
    expect(summary.network.source).toBe('server')
    // It ran for its duration; that it then stopped is the test finishing (no upper bound
    // on the wall clock: a loaded machine only makes the run's tail slower).
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(6_000)
    expect(progress.length).toBeGreaterThanOrEqual(5)
    expect(summary.rejected).toBe(0)
    expect(summary.accepted).toBe(summary.sent)
    expect(summary.decisions).toBeGreaterThan(20)
    // At 20,000× a return's whole lifecycle takes seconds: many are already closed.
    expect(summary.world.lifecycleEvents).toBeGreaterThan(summary.decisions)

    const prefix = `sim-${summary.runId}-`
    expect(await count('SELECT count() AS n FROM raw_events WHERE startsWith(event_id, {p:String})', { p: prefix })).toBe(summary.accepted)
    const rmaPrefix = `RMA-${summary.runId}-`
    expect(await count('SELECT count(DISTINCT decision_id) AS n FROM decisions WHERE startsWith(rma_id, {p:String})', { p: rmaPrefix }))
      .toBeGreaterThanOrEqual(summary.decisions)
    expect(await count(
      "SELECT count() AS n FROM raw_events WHERE type = 'return.status' AND startsWith(event_id, {p:String}) AND JSONExtractString(payload, 'status') = 'closed'",
      { p: prefix },
    )).toBeGreaterThan(0)
  }, 60_000)

  it('stops with an error, not a retry loop, when the key may not send events', async () => {
    const summary = await runSimulation({
      url: server.url, key: TEST_KEYS.viewer, ratePerMin: 60, durationS: 20, seed: 4, tickMs: 100,
      network: server.runtime.navigator!.network,
    })
    expect(summary.error).toMatch(/403/)
    expect(summary.retries).toBe(0)
    expect(summary.accepted).toBe(0)
  }, 30_000)
})
