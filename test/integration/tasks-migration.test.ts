// Migration 0041 on a store that already holds decisions: their plans become tasks
// (and a re-decision already stored cancels its predecessor's), as decisions stored
// after it do through the views.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Decision } from '../../server/contracts/decision.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../server/navigator/engine.js'
import { DEMO_NETWORK_PATH, readNetworkFile } from '../../server/network/network-file.js'
import { EventScopedIds } from '../../server/navigator-service/ids.js'
import { openStore, type StoreClient } from '../../server/store/client.js'
import { migrate, MIGRATIONS_DIR } from '../../server/store/migrate.js'
import { decisionRow } from '../../server/store/rows.js'
import { ANY_TIME, listTasks } from '../../server/store/tasks-repo.js'
import { benchReturnRequests } from '../bench/generators.js'

let dir: string
let store: StoreClient
let decisions: Decision[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-0041-'))
  const before = join(dir, 'migrations-before')
  mkdirSync(before)
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '0041')) cpSync(join(MIGRATIONS_DIR, f), join(before, f))
  store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav' } as Parameters<typeof openStore>[0])
  await migrate(store.client, before)

  const network = await readNetworkFile(DEMO_NETWORK_PATH)
  const ids = new EventScopedIds()
  const nav = new Navigator(network, ids.newId, ids.newToken)
  const skus = [...network.catalog.values()].map((c) => ({ sku: c.sku, price: c.price }))
  const [first, second, third] = benchReturnRequests(3, 41, skus)
  decisions = []
  for (const e of [first, second]) { ids.beginEvent(e.eventId); decisions.push(...nav.decideRequest(e, new Date(e.occurredAt), DEFAULT_WEIGHTS_VERSION)) }
  // The first return inspected: a re-decision superseding its first plan.
  const inspected = { eventId: 'insp-1', type: 'return.inspected' as const, occurredAt: first.occurredAt, rmaId: first.rmaId, sku: first.lines[0].sku, grade: 'C' as const, nodeId: decisions[0].receivingNodeId ?? network.nodes[0].id }
  ids.beginEvent(inspected.eventId)
  decisions.push(...nav.applyEvent(inspected, new Date(first.occurredAt), DEFAULT_WEIGHTS_VERSION))
  const row = (d: Decision) => decisionRow({ decision: d, category: 'x', reason: 'y' })
  await store.client.insert({ table: 'decisions', format: 'JSONEachRow', values: decisions.map(row) })

  await migrate(store.client)
  // After the migration, through the views.
  ids.beginEvent(third.eventId)
  const later = nav.decideRequest(third, new Date(third.occurredAt), DEFAULT_WEIGHTS_VERSION)
  decisions.push(...later)
  await store.client.insert({ table: 'decisions', format: 'JSONEachRow', values: later.map(row) })
}, 120_000)

afterAll(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('migration 0041 on a store with decisions', () => {
  it('turns every stored plan into tasks with its roles, nodes and due times; the superseded plan reads cancelled', async () => {
    expect(decisions.length).toBe(4)
    const redecided = decisions[2]
    expect(redecided.supersedes).toBe(decisions[0].decisionId)
    const tasks = await listTasks(store.client, { ...ANY_TIME, limit: 1000, offset: 0 }, new Date())
    expect(tasks.length).toBe(decisions.reduce((n, d) => n + d.tasks.length, 0))
    for (const d of decisions) {
      d.tasks.forEach((t, i) => {
        const stored = tasks.find((x) => x.taskId === `${d.decisionId}.${i}`)
        expect(stored, `${d.decisionId}.${i}`).toMatchObject({
          role: t.role, action: t.action, nodeId: t.nodeId ?? null, dueAt: new Date(t.dueAt).toISOString(),
          rmaId: d.rmaId, priority: d.priority, status: d === decisions[0] ? 'cancelled' : 'open',
        })
      })
    }
  })
})
