// A navigator checkpoint is one row holding the whole state: with a few hundred thousand
// open returns it passes 100 MB, where the store's parallel JSON parsing gives up on a
// row. It must be stored and read back whole.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { insertCheckpoint, latestCheckpoints } from '../../server/store/checkpoint-repo.js'
import { openStore, type StoreClient } from '../../server/store/client.js'
import { migrate } from '../../server/store/migrate.js'

let dir: string
let store: StoreClient

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-checkpoint-'))
  store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav' } as Parameters<typeof openStore>[0])
  await migrate(store.client)
}, 120_000)

afterAll(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

it('stores and reads back a state of over 100 MB', async () => {
  const state = JSON.stringify({ returns: Array.from({ length: 500_000 }, (_, i) => ({ rmaId: `RMA-${i}`, note: 'x'.repeat(200) })) })
  expect(state.length).toBeGreaterThan(105_000_000)
  const cut = { receivedAtMs: Date.parse('2026-11-30T10:00:00Z'), eventIds: ['e1'], decisionIds: ['d1'] }
  await insertCheckpoint(store.client, { takenAtMs: Date.parse('2026-11-30T10:00:01Z'), format: 1, network: 'n', cut, state })
  const [latest] = await latestCheckpoints(store.client)
  expect(latest.cut).toEqual(cut)
  expect(latest.state.length).toBe(state.length)
  expect(latest.state === state).toBe(true)
}, 120_000)
