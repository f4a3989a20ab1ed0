// On start the deduper loads only the ids of recent events (sql/queries/dedupe-recent-ids.sql);
// a retry of an older event is still a duplicate, found by a lookup in the store.
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import type { Event } from '../../server/contracts/events.js'
import { toChTime } from '../../server/store/query.js'
import { rawEventRow } from '../../server/store/rows.js'
import { post, startTestServer, tempDataDir, TEST_KEYS, type TestServer } from '../helpers/runtime.js'

const dataDir = tempDataDir()
let server: TestServer | undefined
afterAll(async () => { await server?.close(); rmSync(dataDir, { recursive: true, force: true }) })

const status = (eventId: string) =>
  ({ eventId, type: 'return.status', occurredAt: new Date(Date.now() - 20 * 86_400_000).toISOString(), rmaId: 'RMA-DEDUPE-OLD', status: 'in_transit' }) as Event

describe('dedupe after a restart', () => {
  it('finds an event acknowledged weeks ago, though memory holds only recent ids', async () => {
    server = await startTestServer({ dataDir })
    // Acknowledged 20 days ago: written as ingest writes it, with that arrival stamp.
    await server.runtime.ctx.writer.write('raw_events', [rawEventRow(status('dedupe-old-1'), toChTime(new Date(Date.now() - 20 * 86_400_000)))])
    const recent = await post(`${server.url}/api/v1/events`, status('dedupe-new-1'), TEST_KEYS.ingest)
    expect(recent.body.accepted).toBe(1)
    await server.close({ keepData: true })

    server = await startTestServer({ dataDir })
    const again = await post(`${server.url}/api/v1/events`, [status('dedupe-old-1'), status('dedupe-new-1'), status('dedupe-fresh-1')], TEST_KEYS.ingest)
    expect(again.status).toBe(200)
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted'])
  })
})
