// Issue 13, part 1: a poison event must never cost anyone else. The contract refuses
// malformed text (test/unit/contracts.test.ts); here what stands behind it is tested
// against the real embedded store, with the poison written straight to the writer so
// that the contract cannot stop it:
//  * the writer stores the neighbours of a row the store refuses, and fails only it;
//  * concurrent producers next to it all get their 200;
//  * a request whose raw_events write fails leaves no decision anyone can see (not on
//    the return page, the tracking page or the decision feed), its decisions are rolled
//    back from every view fed from decisions, and its retry works.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Event } from '../../server/contracts/events.js'
import { noDecisions } from '../../server/store/orphans-repo.js'
import { toChTime } from '../../server/store/query.js'
import { rawEventRow } from '../../server/store/rows.js'
import { get, post, startTestServer, tempDataDir, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { baseFile, node, request } from '../unit/navigator/fixtures.js'

let server: TestServer

beforeAll(async () => {
  const caps = ['inspect', 'restock', 'liquidate', 'recycle', 'ship_exchange'] as const
  const networkFile = join(tempDataDir('revnav-net-'), 'network.json')
  writeFileSync(networkFile, JSON.stringify(baseFile({ nodes: [node('W1', 1, [...caps], { central: true })] })))
  server = await startTestServer({ runtime: { navigator: true }, env: { NETWORK_FILE: networkFile } })
})
afterAll(async () => { await server?.close() })

const writer = () => server.runtime.ctx.writer
const store = () => server.runtime.ctx.store.client
const rows = async <T>(query: string, params: Record<string, unknown> = {}) =>
  (await (await store().query({ query, query_params: params, format: 'JSONEachRow' })).json<T>())
const status = (eventId: string, note = 'ok') =>
  ({ eventId, type: 'return.status', occurredAt: new Date(Date.now() - 60_000).toISOString(), rmaId: `RMA-${eventId}`, status: 'received', note }) as Event
const storedIds = async (ids: string[]) =>
  (await rows<{ event_id: string }>('SELECT event_id FROM raw_events WHERE event_id IN {ids:Array(String)}', { ids })).map((r) => r.event_id).sort()

describe('a row the store refuses, next to good ones', () => {
  it('fails only its own write; the neighbours in the same insert are stored once', async () => {
    const received = toChTime(new Date())
    const good = Array.from({ length: 12 }, (_, i) => `poison-w-good-${i}`)
    // Bypasses the contract: a lone surrogate the store cannot parse (CANNOT_PARSE_ESCAPE_SEQUENCE).
    const poison = rawEventRow(status('poison-w-\ud800'), received)
    const writes = good.map((id) => writer().write('raw_events', [rawEventRow(status(id), received)]))
    writes.splice(5, 0, writer().write('raw_events', [poison]))
    const outcome = await Promise.allSettled(writes)
    expect(outcome.map((o) => o.status)).toEqual([...Array(5).fill('fulfilled'), 'rejected', ...Array(7).fill('fulfilled')])
    expect(String((outcome[5] as PromiseRejectedResult).reason)).toMatch(/parse|escape/i)
    expect(await storedIds(good)).toEqual([...good].sort())
    const [{ n }] = await rows<{ n: string }>("SELECT count() AS n FROM raw_events WHERE startsWith(event_id, 'poison-w-')")
    expect(Number(n)).toBe(good.length) // none stored twice by the bisection
    expect(writer().depth).toBe(0)
  })

  it('costs concurrent producers nothing: every good request gets its 200 and is readable', async () => {
    const received = toChTime(new Date())
    const asks = Array.from({ length: 24 }, (_, i) => ({ ...request([{ wants: 'refund' }], {}, new Date(Date.now() - 60_000)), eventId: `poison-h-${i}`, rmaId: `RMA-POISON-H-${i}` }))
    // So that the poison and every request's raw_events rows are in one insert, as
    // under load, the table's inserts are held (a gate in front of the real store)
    // while a first write occupies the flush loop and the rest queue up behind it.
    const sink = server.runtime.ctx.store.rows
    const insert = sink.insertJsonLines.bind(sink)
    let open!: () => void
    const gate = new Promise<void>((resolve) => { open = resolve })
    sink.insertJsonLines = async (table, body, columns) => {
      if (table === 'raw_events') await gate
      return insert(table, body, columns)
    }
    try {
      const until = async (done: () => boolean) => { while (!done()) await new Promise((r) => setTimeout(r, 5)) }
      const first = writer().write('raw_events', [rawEventRow(status('poison-h-first'), received)])
      await until(() => writer().queuedIn('raw_events') === 0) // taken by a flush, held at the gate
      const answers = Promise.all(asks.map((ask) => post(`${server.url}/api/v1/events`, ask, TEST_KEYS.ingest)))
      await until(() => writer().queuedIn('raw_events') === asks.length) // every request's row queued
      const poison = writer().write('raw_events', [rawEventRow(status('poison-h-\ud800'), received)])
        .then(() => 'stored', (error: unknown) => String(error))
      open()
      await first
      expect(await poison).toMatch(/parse|escape/i)
      const answered = await answers
      expect(answered.map((a) => a.status)).toEqual(asks.map(() => 200))
      expect(answered.every((a) => a.body.accepted === 1)).toBe(true)
    } finally {
      open()
      sink.insertJsonLines = insert
    }
    for (const ask of asks.slice(0, 3)) {
      const page = await get(`${server.url}/api/v1/returns/${ask.rmaId}`, TEST_KEYS.viewer)
      expect(page.status).toBe(200)
      expect(page.body.request).toMatchObject({ eventId: ask.eventId })
      expect(page.body.decisions).toHaveLength(1)
    }
    expect(await storedIds(asks.map((a) => a.eventId))).toHaveLength(asks.length)
    expect((await get(`${server.url}/healthz`)).status).toBe(200)
  })
})

/** What the views derived from decisions hold for these decisions and returns. */
async function derived(decisionIds: string[], tokens: string[], rmaIds: string[]) {
  const n = async (query: string, params: Record<string, unknown>) => Number((await rows<{ n: string }>(query, params))[0].n)
  return {
    decisions: await n('SELECT count() AS n FROM decisions WHERE decision_id IN {ids:Array(String)}', { ids: decisionIds }),
    facts: await n('SELECT count() AS n FROM decision_facts WHERE decision_id IN {ids:Array(String)}', { ids: decisionIds }),
    tasks: await n('SELECT count() AS n FROM tasks WHERE decision_id IN {ids:Array(String)}', { ids: decisionIds }),
    supersessions: await n('SELECT count() AS n FROM task_supersessions WHERE superseded_by IN {ids:Array(String)}', { ids: decisionIds }),
    tokens: await n('SELECT count() AS n FROM tracking_tokens WHERE token_sha256 IN (SELECT SHA256(t) FROM (SELECT arrayJoin({t:Array(String)}) AS t))', { t: tokens }),
    routes: (await rows<{ rma_id: string; route: string }>(
      'SELECT rma_id, finalizeAggregation(argMaxMergeState(route)) AS route FROM rma_milestones WHERE rma_id IN {rmas:Array(String)} GROUP BY rma_id ORDER BY rma_id', { rmas: rmaIds })),
  }
}

/** Holds on to the decision rows the writer hands the store, to name the orphans later. */
function captureDecisionRows(): { rows: { decision_id: string; tracking_token: string; rma_id: string }[]; stop: () => void } {
  const sink = server.runtime.ctx.store.rows
  const insert = sink.insertJsonLines.bind(sink)
  const captured: { decision_id: string; tracking_token: string; rma_id: string }[] = []
  sink.insertJsonLines = async (table, body, columns) => {
    if (table === 'decisions') {
      for (const line of body.toString('utf8').split('\n')) {
        if (!line) continue
        // Rows come as arrays of `columns` (JSONCompactEachRow) or as objects.
        const row = JSON.parse(line)
        captured.push(columns ? Object.fromEntries(columns.map((c, i) => [c, row[i]])) : row)
      }
    }
    return insert(table, body, columns)
  }
  return { rows: captured, stop: () => { sink.insertJsonLines = insert } }
}

describe('a request whose raw_events write fails after its decisions were stored', () => {
  it('leaves nothing behind once rolled back, not even in the views; its retry is accepted and shown', async () => {
    const ask = { ...request([{ wants: 'refund' }], {}, new Date(Date.now() - 60_000)), eventId: 'orphan-ask-1', rmaId: 'RMA-ORPHAN-1' }
    const capture = captureDecisionRows()
    await store().command({ query: 'DETACH TABLE raw_events' })
    try {
      const refused = await post(`${server.url}/api/v1/events`, ask, TEST_KEYS.ingest)
      expect(refused.status, JSON.stringify(refused.body)).toBe(503)
    } finally {
      capture.stop()
      // The rollback cannot tell what is stored while raw_events is away: it is retried.
      await store().command({ query: 'ATTACH TABLE raw_events' })
    }
    const orphans = capture.rows.filter((r) => r.rma_id === ask.rmaId)
    expect(orphans).toHaveLength(1)
    const [orphan] = orphans

    // No reader shows it, not even before the rollback is done…
    expect((await get(`${server.url}/api/v1/returns/${ask.rmaId}`, TEST_KEYS.viewer)).status).toBe(404)
    expect((await get(`${server.url}/api/v1/track/${orphan.tracking_token}`)).status).toBe(404)
    const feed = await get(`${server.url}/api/v1/decisions?limit=200`, TEST_KEYS.viewer)
    expect(feed.status).toBe(200)
    expect(feed.body.items.map((d: { decisionId: string }) => d.decisionId)).not.toContain(orphan.decision_id)

    // …and once rolled back, neither the decision nor anything derived from it is stored.
    await server.runtime.orphans.settled()
    expect(server.runtime.orphans.pending).toBe(0)
    expect(await derived([orphan.decision_id], [orphan.tracking_token], [ask.rmaId]))
      .toEqual({ decisions: 0, facts: 0, tasks: 0, supersessions: 0, tokens: 0, routes: [] })

    // The producer retries: accepted (not a duplicate), the same decision id, shown
    // with its request, and tracked by the token it was given now.
    const retry = await post(`${server.url}/api/v1/events`, ask, TEST_KEYS.ingest)
    expect(retry.status).toBe(200)
    expect(retry.body.accepted).toBe(1)
    const [ref] = retry.body.results[0].decisions
    expect(ref.decisionId).toBe(orphan.decision_id)
    const page = await get(`${server.url}/api/v1/returns/${ask.rmaId}`, TEST_KEYS.viewer)
    expect(page.status).toBe(200)
    expect(page.body.request).toMatchObject({ eventId: ask.eventId })
    expect(page.body.decisions.map((d: { decisionId: string }) => d.decisionId)).toEqual([orphan.decision_id])
    const track = await get(`${server.url}/api/v1/track/${ref.trackingToken}`)
    expect(track.status).toBe(200)
    expect(track.body).toMatchObject({ rmaId: ask.rmaId, lines: [expect.objectContaining({ lineIndex: 0 })] })
    const feedAfter = await get(`${server.url}/api/v1/decisions?limit=200`, TEST_KEYS.viewer)
    expect(feedAfter.body.items.map((d: { decisionId: string }) => d.decisionId)).toContain(orphan.decision_id)
    // The token of the refused attempt was never given out and leads nowhere.
    if (orphan.tracking_token !== ref.trackingToken) expect((await get(`${server.url}/api/v1/track/${orphan.tracking_token}`)).status).toBe(404)
    const stored = await derived([ref.decisionId], [ref.trackingToken], [ask.rmaId])
    expect(stored).toMatchObject({ decisions: 1, facts: 1, tokens: 1, routes: [{ rma_id: ask.rmaId, route: `${ref.resolution}|${ref.receivingNodeId ?? ''}` }] })
    expect(stored.tasks).toBeGreaterThan(0)
  })

  it('an inspection refused that way leaves the first decision in force everywhere', async () => {
    const ask = { ...request([{ wants: 'refund', reason: 'defective', condition: 'defective' }], {}, new Date(Date.now() - 120_000)), eventId: 'orphan-ask-2', rmaId: 'RMA-ORPHAN-2' }
    const accepted = await post(`${server.url}/api/v1/events`, ask, TEST_KEYS.ingest)
    expect(accepted.status).toBe(200)
    const [first] = accepted.body.results[0].decisions
    const before = await derived([first.decisionId], [first.trackingToken], [ask.rmaId])
    const tasksBefore = await get(`${server.url}/api/v1/tasks?rmaId=${ask.rmaId}`, TEST_KEYS.viewer)
    expect(tasksBefore.status).toBe(200)
    expect(tasksBefore.body.items.length).toBeGreaterThan(0)

    const inspected = { eventId: 'orphan-insp-2', type: 'return.inspected', occurredAt: new Date(Date.now() - 60_000).toISOString(), rmaId: ask.rmaId, sku: ask.lines[0].sku, grade: 'D', nodeId: first.receivingNodeId ?? 'W1' }
    // The store refuses the inspection's raw_events row (and only that write).
    const capture = captureDecisionRows()
    const sink = server.runtime.ctx.store.rows
    const insert = sink.insertJsonLines.bind(sink)
    sink.insertJsonLines = async (table, body, columns) => {
      if (table === 'raw_events' && body.includes(inspected.eventId)) throw Object.assign(new Error('refused for the test'), { code: '27' })
      return insert(table, body, columns)
    }
    try {
      const refused = await post(`${server.url}/api/v1/events`, inspected, TEST_KEYS.ingest)
      expect(refused.status).toBeGreaterThanOrEqual(500)
    } finally {
      sink.insertJsonLines = insert
      capture.stop()
    }
    const redecisions = capture.rows.filter((r) => r.rma_id === ask.rmaId)
    expect(redecisions).toHaveLength(1) // the inspection did re-decide the line, and that was stored
    const [orphan] = redecisions
    expect(orphan.decision_id).not.toBe(first.decisionId)

    // Answered once rolled back: the re-decision is gone from every view, and the first
    // decision is in force again, with the line's tracking token (the re-decision kept it).
    expect(orphan.tracking_token).toBe(first.trackingToken)
    expect(await derived([orphan.decision_id], [], [])).toMatchObject({ decisions: 0, facts: 0, tasks: 0, supersessions: 0 })
    expect(await derived([first.decisionId], [first.trackingToken], [ask.rmaId])).toEqual(before)
    const tasksAfter = await get(`${server.url}/api/v1/tasks?rmaId=${ask.rmaId}`, TEST_KEYS.viewer)
    expect(tasksAfter.body.items).toEqual(tasksBefore.body.items)

    // The scanner retries: the re-decision is stored with its event and supersedes the first.
    const retry = await post(`${server.url}/api/v1/events`, inspected, TEST_KEYS.ingest)
    expect(retry.status).toBe(200)
    const [redecided] = retry.body.results[0].decisions
    expect(redecided.decisionId).toBe(orphan.decision_id)
    const after = await derived([redecided.decisionId], [redecided.trackingToken], [ask.rmaId])
    expect(after).toMatchObject({ decisions: 1, facts: 1, supersessions: 1, routes: [{ rma_id: ask.rmaId, route: `${redecided.resolution}|${redecided.receivingNodeId ?? ''}` }] })
  })

  it('while the store refuses rollbacks, refusals are answered at once and rolled back together later', async () => {
    const asks = [0, 1, 2].map((i) => ({ ...request([{ wants: 'refund' }], {}, new Date(Date.now() - 60_000)), eventId: `orphan-many-${i}`, rmaId: `RMA-ORPHAN-MANY-${i}` }))
    const rolledBefore = server.runtime.orphans.rolledBack
    await store().command({ query: 'DETACH TABLE raw_events' })
    try {
      // The first refusal waits for one attempt (it fails: raw_events is away)…
      expect((await post(`${server.url}/api/v1/events`, asks[0], TEST_KEYS.ingest)).status).toBe(503)
      // …the next ones do not wait behind a store that refuses rollbacks: asked to wait an
      // hour for an attempt, add() settles at once (else this test times out).
      await server.runtime.orphans.add(new Map([['orphan-many-none', noDecisions()]]), Date.now(), 3_600_000)
      const answers = await Promise.all(asks.slice(1).map((ask) => post(`${server.url}/api/v1/events`, ask, TEST_KEYS.ingest)))
      expect(answers.map((a) => a.status)).toEqual([503, 503])
      expect(server.runtime.orphans.pending).toBe(4)
    } finally {
      await store().command({ query: 'ATTACH TABLE raw_events' })
    }
    await server.runtime.orphans.settled()
    expect(server.runtime.orphans.pending).toBe(0)
    expect(server.runtime.orphans.rolledBack - rolledBefore).toBe(4) // the three, and the one with no decisions
    expect(Number((await rows<{ n: string }>('SELECT count() AS n FROM decisions WHERE rma_id IN {rmas:Array(String)}', { rmas: asks.map((a) => a.rmaId) }))[0].n)).toBe(0)
  })
})
