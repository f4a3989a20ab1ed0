// SIGTERM while a producer is sending: the server stops taking requests, drains the
// writer and exits 0; every acknowledged event is in the store.
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore } from '../../server/store/client.js'
import { query } from '../../server/store/query.js'
import { allEventBuilders as b } from '../fixtures/events.js'
import { apiKeysEnv, tempDataDir, TEST_KEYS } from '../helpers/runtime.js'
import { startServerProcess } from '../helpers/server-process.js'

const dataDir = tempDataDir()
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('graceful shutdown', () => {
  it('drains on SIGTERM, exits 0, and keeps every acknowledged event', async () => {
    const server = await startServerProcess(dataDir, { API_KEYS: apiKeysEnv })
    const acknowledged: string[] = []
    let stop = false
    const producer = (async () => {
      for (let i = 0; i < 400 && !stop; i++) {
        try {
          const res = await fetch(`${server.url}/api/v1/events`, {
            method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.ingest}`, 'content-type': 'application/json' },
            body: JSON.stringify(Array.from({ length: 50 }, () => b.orderPlaced())),
          })
          if (res.status !== 200) break
          const body = await res.json() as { results: { eventId: string; status: string }[] }
          for (const r of body.results) if (r.status === 'accepted') acknowledged.push(r.eventId)
        } catch { break }
      }
    })()
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 20))
    const exited = new Promise<number | null>((resolve) => server.proc.once('exit', (code) => resolve(code)))
    server.proc.kill('SIGTERM')
    stop = true
    await producer
    expect(await exited).toBe(0)

    const store = await openStore({ DATA_DIR: dataDir, CLICKHOUSE_DATABASE: 'revnav', CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: '' })
    try {
      const found = await query<{ n: number }>(store.client, {
        query: 'SELECT count() AS n FROM raw_events WHERE event_id IN {ids:Array(String)}', params: { ids: acknowledged }, tag: 'test',
      })
      expect(Number(found[0].n)).toBe(acknowledged.length)
    } finally {
      await store.close()
    }
  })
})
