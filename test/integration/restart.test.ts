// Restart on the same data dir: data and dedupe state survive.
import { afterAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { query } from '../../server/store/query.js'
import { allEventBuilders as b } from '../fixtures/events.js'
import { post, startTestServer, tempDataDir, TEST_KEYS } from '../helpers/runtime.js'

const dataDir = tempDataDir()
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('restart', () => {
  it('keeps stored events and refuses their ids as duplicates after a restart', async () => {
    const batch = [b.orderPlaced(), b.returnRequested(), b.catalogUpsert()]
    const first = await startTestServer({ dataDir })
    expect((await post(`${first.url}/api/v1/events`, batch, TEST_KEYS.ingest)).body.accepted).toBe(3)
    await first.close({ keepData: true })

    const second = await startTestServer({ dataDir })
    try {
      const [{ n }] = await query<{ n: number }>(second.runtime.ctx.store.client, { query: 'SELECT count() AS n FROM raw_events', tag: 'test' })
      expect(Number(n)).toBe(3)
      const again = await post(`${second.url}/api/v1/events`, [...batch, b.orderPlaced()], TEST_KEYS.ingest)
      expect(again.body).toMatchObject({ accepted: 1, duplicates: 3 })
    } finally {
      await second.close({ keepData: true })
    }
  })
})
