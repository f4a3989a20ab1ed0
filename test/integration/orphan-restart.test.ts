// Decisions a crash left between a request's two writes (decisions stored, the process
// gone before its raw events) are found on the next start, in what was stored after the
// newest checkpoint's cut, and rolled back with what the views derived from them. No
// checkpoint is stored while a rollback is pending, so the cut never passes an orphan.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { get, post, startTestServer, tempDataDir, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { baseFile, node, request } from '../unit/navigator/fixtures.js'

const dataDir = tempDataDir()
const networkFile = join(tempDataDir('revnav-net-'), 'network.json')
const caps = ['inspect', 'restock', 'liquidate', 'recycle', 'ship_exchange'] as const
writeFileSync(networkFile, JSON.stringify(baseFile({ nodes: [node('W1', 1, [...caps], { central: true })] })))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const quiet = { info: () => {}, warn: () => {} }
const start = () => startTestServer({ dataDir, runtime: { navigator: true, navigatorOptions: { log: quiet } }, env: { NETWORK_FILE: networkFile } })

async function count(server: TestServer, query: string, params: Record<string, unknown>) {
  const rows = await (await server.runtime.ctx.store.client.query({ query, query_params: params, format: 'JSONEachRow' })).json<{ n: string }>()
  return Number(rows[0].n)
}
const left = async (server: TestServer, decisionIds: string[], rmaId: string) => ({
  decisions: await count(server, 'SELECT count() AS n FROM decisions WHERE decision_id IN {ids:Array(String)}', { ids: decisionIds }),
  facts: await count(server, 'SELECT count() AS n FROM decision_facts WHERE decision_id IN {ids:Array(String)}', { ids: decisionIds }),
  tasks: await count(server, 'SELECT count() AS n FROM tasks WHERE decision_id IN {ids:Array(String)}', { ids: decisionIds }),
  milestones: await count(server, 'SELECT count() AS n FROM rma_milestones WHERE rma_id = {rma:String}', { rma: rmaId }),
})

/** The store refuses raw_events rows of `eventId` (decisions are stored as usual). */
function refuseRawEventsOf(server: TestServer, eventId: string): () => void {
  const sink = server.runtime.ctx.store.rows
  const insert = sink.insertJsonLines.bind(sink)
  sink.insertJsonLines = async (table, body, columns) => {
    if (table === 'raw_events' && body.includes(eventId)) throw Object.assign(new Error('refused for the test'), { code: '27' })
    return insert(table, body, columns)
  }
  return () => { sink.insertJsonLines = insert }
}

describe('decisions a crash left without their event', () => {
  it('are rolled back on the next start; a pending rollback holds checkpoints', async () => {
    const first = await start()
    const kept = { ...request([{ wants: 'refund' }], {}, new Date(Date.now() - 120_000)), eventId: 'crash-kept', rmaId: 'RMA-CRASH-KEPT' }
    expect((await post(`${first.url}/api/v1/events`, kept, TEST_KEYS.ingest)).status).toBe(200)
    expect(await first.runtime.navigator!.checkpoints.checkpoint()).toBe(true)

    // The process "dies" between the two writes: the decisions are stored, the raw events
    // are not, and no rollback runs.
    const lost = { ...request([{ wants: 'refund' }], {}, new Date(Date.now() - 60_000)), eventId: 'crash-lost', rmaId: 'RMA-CRASH-LOST' }
    first.runtime.orphans.add = async () => {}
    const restore = refuseRawEventsOf(first, lost.eventId)
    try {
      expect((await post(`${first.url}/api/v1/events`, lost, TEST_KEYS.ingest)).status).toBeGreaterThanOrEqual(500)
    } finally {
      restore()
    }
    const orphanIds = (await (await first.runtime.ctx.store.client.query({
      query: 'SELECT decision_id FROM decisions WHERE rma_id = {rma:String}', query_params: { rma: lost.rmaId }, format: 'JSONEachRow',
    })).json<{ decision_id: string }>()).map((r) => r.decision_id)
    expect(orphanIds).toHaveLength(1)
    expect(await left(first, orphanIds, lost.rmaId)).toMatchObject({ decisions: 1, facts: 1, milestones: 1 })
    await first.runtime.navigator!.checkpoints.stop(false)
    await first.close({ keepData: true })

    const second = await start()
    try {
      expect(second.runtime.navigator!.restored.from).toBe('checkpoint')
      await second.runtime.orphans.settled()
      expect(second.runtime.orphans.rolledBack).toBe(1)
      expect(await left(second, orphanIds, lost.rmaId)).toEqual({ decisions: 0, facts: 0, tasks: 0, milestones: 0 })
      // What was acknowledged stands.
      const page = await get(`${second.url}/api/v1/returns/${kept.rmaId}`, TEST_KEYS.viewer)
      expect(page.status).toBe(200)
      expect(page.body.decisions).toHaveLength(1)

      // While a rollback cannot be done (raw_events away, so the store cannot say what
      // is stored), it stays pending and no checkpoint is stored.
      const again = { ...request([{ wants: 'refund' }], {}, new Date(Date.now() - 30_000)), eventId: 'crash-again', rmaId: 'RMA-CRASH-AGAIN' }
      await second.runtime.ctx.store.client.command({ query: 'DETACH TABLE raw_events' })
      try {
        expect((await post(`${second.url}/api/v1/events`, again, TEST_KEYS.ingest)).status).toBe(503)
        expect(second.runtime.orphans.pending).toBe(1)
        expect(await second.runtime.navigator!.checkpoints.checkpoint()).toBe(false)
      } finally {
        await second.runtime.ctx.store.client.command({ query: 'ATTACH TABLE raw_events' })
      }
      await second.runtime.orphans.settled()
      expect(second.runtime.orphans.pending).toBe(0)
      expect(await count(second, 'SELECT count() AS n FROM decisions WHERE rma_id = {rma:String}', { rma: again.rmaId })).toBe(0)
      expect(await second.runtime.navigator!.checkpoints.checkpoint()).toBe(true)
      // The producer's retries are accepted.
      for (const ask of [lost, again]) {
        const retry = await post(`${second.url}/api/v1/events`, ask, TEST_KEYS.ingest)
        expect(retry.status).toBe(200)
        expect(retry.body.accepted).toBe(1)
      }
    } finally {
      await second.close({ keepData: true })
    }
  })
})
