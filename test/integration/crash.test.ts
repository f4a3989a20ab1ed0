// kill -9 the server while a producer is sending: every event the producer got
// "accepted" for is in the store after the restart.
import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore } from '../../server/store/client.js'
import { query } from '../../server/store/query.js'
import { allEventBuilders as b } from '../fixtures/events.js'
import { apiKeysEnv, tempDataDir, TEST_KEYS } from '../helpers/runtime.js'
import { startServerProcess } from '../helpers/server-process.js'

const dataDir = tempDataDir()
let child: ChildProcess | undefined
afterAll(() => {
  child?.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

describe('crash safety', () => {
  it('loses no acknowledged event on kill -9', async () => {
    const { proc, url } = await startServerProcess(dataDir, { API_KEYS: apiKeysEnv })
    child = proc
    const acknowledged: string[] = []
    let stop = false
    const producer = (async () => {
      // Bounded: at most 400 requests, stops at the first failure (the kill).
      for (let i = 0; i < 400 && !stop; i++) {
        const batch = Array.from({ length: 50 }, () => b.orderPlaced())
        try {
          const res = await fetch(`${url}/api/v1/events`, {
            method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.ingest}`, 'content-type': 'application/json' },
            body: JSON.stringify(batch),
          })
          if (res.status !== 200) break
          const body = await res.json() as { results: { eventId: string; status: string }[] }
          for (const r of body.results) if (r.status === 'accepted') acknowledged.push(r.eventId)
        } catch { break }
      }
    })()
    // Let some requests complete, then kill mid-stream.
    while (acknowledged.length < 500) await new Promise((r) => setTimeout(r, 20))
    proc.kill('SIGKILL')
    stop = true
    await producer
    await new Promise((r) => proc.exitCode !== null || proc.signalCode ? r(null) : proc.once('exit', r))
    expect(acknowledged.length).toBeGreaterThanOrEqual(500)

    // The test process opens the store itself now that the server is gone.
    const store = await openStore({ DATA_DIR: dataDir, CLICKHOUSE_DATABASE: 'revnav', CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: '' })
    try {
      const found = await query<{ event_id: string }>(store.client, {
        query: 'SELECT event_id FROM raw_events WHERE event_id IN {ids:Array(String)}', params: { ids: acknowledged }, tag: 'test',
      })
      const stored = new Set(found.map((r) => r.event_id))
      const lost = acknowledged.filter((id) => !stored.has(id))
      expect(lost).toEqual([])
    } finally {
      await store.close()
    }
  })
})
