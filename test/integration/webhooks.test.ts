// Webhooks out against a real local receiver: signatures per Standard Webhooks, only the
// subscribed event types, in order per return, a retry after a 500, nothing twice across
// a restart in the middle of a retry, the delivery log and manual redelivery, and a
// receiver failing past the give-up window disabled with an alert.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { collect, connect, subscribe } from '../helpers/socket.js'
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js'

// The first retry 1.5 s after a failure (the ladder scales from it); a message given up,
// and a subscription failing without a success disabled, after 6 s instead of a day.
const env = { WEBHOOK_FIRST_RETRY_MS: '1500', WEBHOOK_GIVE_UP_MS: '6000', WEBHOOK_TIMEOUT_MS: '2000' }
let server: TestServer
let receiver: Receiver
let sub: { id: string; secret: string }
let seq = 0

async function start(dataDir?: string) {
  server = await startTestServer({ runtime: { navigator: true }, env, ...(dataDir ? { dataDir } : {}) })
}

beforeAll(async () => {
  receiver = await startReceiver()
  await start()
})
afterAll(async () => { await server?.close(); await receiver?.close() })

const admin = (path: string, method = 'GET', body?: unknown) => fetch(`${server.url}${path}`, {
  method, headers: { authorization: `Bearer ${TEST_KEYS.admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
  ...(body ? { body: JSON.stringify(body) } : {}),
}).then(async (r) => ({ status: r.status, body: r.status === 204 ? null : await r.json() as any }))

function returnRequest() {
  const item = [...server.runtime.navigator!.network.catalog.values()].find((c) => c.category === 'electronics')!
  const n = ++seq
  return {
    eventId: `wh-${n}-${Date.now()}`, type: 'return.requested', occurredAt: new Date(Date.now() - 60_000).toISOString(),
    rmaId: `RMA-WH-${n}-${Date.now()}`, orderId: `O-WH-${n}`,
    customer: { id: `C-WH-${n}`, lat: 31.2, lon: 121.4, trusted: true }, channel: 'app',
    lines: [{ sku: item.sku, qty: 1, unitPrice: item.price, reason: 'changed_mind', condition: 'like_new', wants: 'refund' }],
  }
}
const ingest = (body: unknown) => post(`${server.url}/api/v1/events`, body, TEST_KEYS.ingest)
const statusEvent = (rmaId: string, status: string) => ({ eventId: `wh-st-${rmaId}-${status}`, type: 'return.status', occurredAt: new Date().toISOString(), rmaId, status })

/** The receiver's own check, written from the spec (not the server's signing code). */
function verifies(secret: string, r: { id: string; timestamp: number; body: string; signature: string }): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  const expected = `v1,${createHmac('sha256', key).update(`${r.id}.${r.timestamp}.${r.body}`).digest('base64')}`
  return r.signature.split(' ').includes(expected)
}

describe('webhooks out', () => {
  it('creates a subscription with a whsec_ secret and delivers signed messages of the subscribed types only, in order per return', async () => {
    const bad = await admin('/api/v1/webhooks', 'POST', { url: 'ftp://example.com/x', events: ['decision.created'] })
    expect(bad.status).toBe(400)
    expect(bad.body.issues[0].path).toBe('url')
    expect((await admin('/api/v1/webhooks', 'POST', { url: receiver.url, events: ['decision.made'] })).body.issues[0].path).toBe('events.0')
    expect((await post(`${server.url}/api/v1/webhooks`, { url: receiver.url, events: ['decision.created'] }, TEST_KEYS.operator)).status).toBe(403)

    const created = await admin('/api/v1/webhooks', 'POST', { url: receiver.url, events: ['decision.created', 'task.created', 'return.status'] })
    expect(created.status).toBe(201)
    expect(created.body.id).toMatch(/^wh_/)
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/)
    expect(Buffer.from(created.body.secret.slice(6), 'base64')).toHaveLength(32)
    sub = created.body
    expect((await admin('/api/v1/webhooks')).body.items.map((s: any) => s.id)).toContain(sub.id)
    expect(JSON.stringify((await admin('/api/v1/webhooks')).body)).not.toContain(sub.secret)

    const ev = returnRequest()
    const decision = (await ingest(ev)).body.results[0].decisions[0]
    await ingest(statusEvent(ev.rmaId, 'label_created'))
    // An inspection re-decides (decision.changed) and cancels the old tasks (task.updated): not subscribed.
    await ingest({ eventId: `wh-insp-${ev.rmaId}`, type: 'return.inspected', occurredAt: new Date().toISOString(), rmaId: ev.rmaId, sku: ev.lines[0].sku, grade: 'B', nodeId: decision.receivingNodeId })
    await ingest(statusEvent(ev.rmaId, 'received'))

    const all = await receiver.waitFor((r) => r.some((x) => x.type === 'return.status' && x.data.status === 'received'))
    const mine = all.filter((r) => r.data.rmaId === ev.rmaId)
    expect(mine.every((r) => verifies(sub.secret, r))).toBe(true)
    expect(verifies(sub.secret, { ...mine[0], body: mine[0].body.replace('"', ' "') })).toBe(false)
    expect(mine.every((r) => Math.abs(r.timestamp - Date.now() / 1000) < 60)).toBe(true)
    expect(new Set(mine.map((r) => r.type))).toEqual(new Set(['decision.created', 'task.created', 'return.status']))
    // In order: the decision, its tasks, then the statuses in the order they happened.
    const order = mine.map((r) => (r.type === 'return.status' ? r.data.status : r.type))
    expect(order[0]).toBe('decision.created')
    expect(order.filter((o) => o === 'label_created' || o === 'received')).toEqual(['label_created', 'received'])
    const firstPlan = mine.map((r, i) => (r.type === 'task.created' && r.data.decisionId === decision.decisionId ? i : -1)).filter((i) => i >= 0)
    expect(firstPlan.length).toBeGreaterThan(0)
    expect(order.indexOf('label_created')).toBeGreaterThan(Math.max(...firstPlan))
    expect(mine.find((r) => r.type === 'decision.created')!.data.decisionId).toBe(decision.decisionId)
    expect(new Set(mine.map((r) => r.id)).size).toBe(mine.length)
  })

  it('retries after a 500 with the same message id, logs both attempts, and redelivers on request', async () => {
    const ev = returnRequest()
    await ingest(ev)
    const failOnce = `wh-st-${ev.rmaId}-picked_up`
    receiver.answer = (r, n) => (r.type === 'return.status' && r.data.eventId === failOnce && n === 1 ? 500 : 200)
    await ingest(statusEvent(ev.rmaId, 'picked_up'))
    const got = await receiver.waitFor((r) => r.filter((x) => x.data.eventId === failOnce).length === 2)
    const attempts = got.filter((x) => x.data.eventId === failOnce)
    expect(attempts.map((a) => a.status)).toEqual([500, 200])
    expect(attempts[0].id).toBe(attempts[1].id)
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(1_000)
    expect(verifies(sub.secret, attempts[1])).toBe(true)

    // The outcome is recorded just after the answer: read the log once it is there.
    let entry: any
    for (let i = 0; i < 100 && entry?.status !== 'delivered'; i++) {
      if (i) await new Promise((r) => setTimeout(r, 20))
      entry = (await admin(`/api/v1/webhooks/${sub.id}/deliveries?limit=200`)).body.items.find((m: any) => m.msgId === attempts[0].id)
    }
    expect(entry).toMatchObject({ eventType: 'return.status', status: 'delivered', orderKey: ev.rmaId })
    expect(entry.attempts.map((a: any) => [a.attempt, a.statusCode, a.outcome])).toEqual([[1, 500, 'retry'], [2, 200, 'delivered']])
    expect(entry.attempts[0].nextAttemptAt).toBeTruthy()
    expect(entry.attempts.every((a: any) => a.latencyMs >= 0)).toBe(true)

    const redeliver = await admin(`/api/v1/webhooks/${sub.id}/deliveries/${attempts[0].id}/redeliver`, 'POST')
    expect(redeliver.status).toBe(202)
    await receiver.waitFor((r) => r.filter((x) => x.id === attempts[0].id).length === 3)
    expect((await admin(`/api/v1/webhooks/${sub.id}/deliveries/msg_doesnotexist00/redeliver`, 'POST')).status).toBe(404)
  })

  it('loses nothing and sends nothing twice when the server restarts in the middle of a retry', async () => {
    const ev = returnRequest()
    let restarted = false
    const failing = `wh-st-${ev.rmaId}-in_transit`
    receiver.answer = (r) => (r.data.eventId === failing && !restarted ? 500 : 200)
    await ingest(ev)
    await ingest(statusEvent(ev.rmaId, 'in_transit'))
    await receiver.waitFor((r) => r.some((x) => x.data.eventId === failing))
    // The retry is due 1.5 s after the failure: restart before it.
    await server.close({ keepData: true })
    const deliveredBefore = receiver.received.filter((r) => r.status === 200).map((r) => r.id)
    restarted = true
    await start(server.dataDir)
    await ingest(statusEvent(ev.rmaId, 'received'))
    const all = await receiver.waitFor((r) => r.some((x) => x.data.eventId === failing && x.status === 200) && r.some((x) => x.data.eventId === `wh-st-${ev.rmaId}-received`))
    const forFailing = all.filter((x) => x.data.eventId === failing)
    expect(forFailing.map((x) => x.status)).toEqual([500, 200])
    // In order per return: the status after the restart came after the retried one.
    const at = (id: string) => all.findIndex((x) => x.data.eventId === id && x.status === 200)
    expect(at(failing)).toBeLessThan(at(`wh-st-${ev.rmaId}-received`))
    // Nothing delivered before the restart arrives again (the manual redelivery above aside).
    await new Promise((r) => setTimeout(r, 300))
    const okCounts = new Map<string, number>()
    for (const r of receiver.received) if (r.status === 200) okCounts.set(r.id, (okCounts.get(r.id) ?? 0) + 1)
    const twice = [...okCounts].filter(([id, n]) => n > (deliveredBefore.filter((d) => d === id).length > 1 ? 2 : 1))
    expect(twice).toEqual([])
  })

  it('updates, rotates (old and new secrets both sign for a while), and deletes', async () => {
    const updated = await admin(`/api/v1/webhooks/${sub.id}`, 'PATCH', { events: ['return.status'] })
    expect(updated.status).toBe(200)
    expect(updated.body.events).toEqual(['return.status'])
    expect((await admin(`/api/v1/webhooks/${sub.id}`, 'PATCH', {})).status).toBe(400)
    const rotated = await admin(`/api/v1/webhooks/${sub.id}/rotate`, 'POST')
    expect(rotated.body.secret).toMatch(/^whsec_/)
    expect(rotated.body.secret).not.toBe(sub.secret)
    const ev = returnRequest()
    await ingest(ev)
    await ingest(statusEvent(ev.rmaId, 'closed'))
    const got = await receiver.waitFor((r) => r.some((x) => x.data.eventId === `wh-st-${ev.rmaId}-closed`))
    const msg = got.find((x) => x.data.eventId === `wh-st-${ev.rmaId}-closed`)!
    expect(verifies(rotated.body.secret, msg)).toBe(true)
    expect(verifies(sub.secret, msg)).toBe(true)
    expect(got.some((x) => x.data.rmaId === ev.rmaId && x.type !== 'return.status')).toBe(false)

    // A task someone finished is a task.updated message.
    await admin(`/api/v1/webhooks/${sub.id}`, 'PATCH', { events: ['task.updated'] })
    const task = (await get(`${server.url}/api/v1/tasks?rmaId=${ev.rmaId}`, TEST_KEYS.viewer)).body.items[0]
    expect((await post(`${server.url}/api/v1/tasks/${task.taskId}/cancel`, { note: 'customer withdrew' }, TEST_KEYS.operator)).status).toBe(200)
    const updated2 = await receiver.waitFor((r) => r.some((x) => x.type === 'task.updated' && x.data.taskId === task.taskId))
    expect(updated2.find((x) => x.type === 'task.updated' && x.data.taskId === task.taskId)!.data).toMatchObject({ status: 'cancelled', note: 'customer withdrew', rmaId: ev.rmaId })
    // A re-decision cancels the rest of the old plan: each cancelled task is a task.updated message.
    const open = returnRequest()
    const first = (await ingest(open)).body.results[0].decisions[0]
    const plan = (await get(`${server.url}/api/v1/tasks?rmaId=${open.rmaId}`, TEST_KEYS.viewer)).body.items
    expect(plan.length).toBeGreaterThan(0)
    await ingest({ eventId: `wh-insp2-${open.rmaId}`, type: 'return.inspected', occurredAt: new Date().toISOString(), rmaId: open.rmaId, sku: open.lines[0].sku, grade: 'A', nodeId: first.receivingNodeId })
    const cancelled = await receiver.waitFor((r) => plan.every((t: any) => r.some((x) => x.type === 'task.updated' && x.data.taskId === t.taskId)))
    for (const t of plan) {
      expect(cancelled.find((x) => x.type === 'task.updated' && x.data.taskId === t.taskId)!.data).toMatchObject({ status: 'cancelled', changedBy: 'navigator' })
    }

    expect((await admin(`/api/v1/webhooks/${sub.id}`, 'DELETE')).status).toBe(204)
    expect((await admin(`/api/v1/webhooks/${sub.id}`)).status).toBe(404)
    expect((await admin('/api/v1/webhooks/wh_nope12345678', 'DELETE')).status).toBe(404)
  })

  it('gives up on a dead receiver after the give-up window, disables the subscription and raises an alert', async () => {
    const dead = await startReceiver(() => 503)
    const created = await admin('/api/v1/webhooks', 'POST', { url: dead.url, events: ['return.status'] })
    const socket = await connect(server.url, TEST_KEYS.viewer)
    await subscribe(socket, ['alerts'])
    const alert = collect(socket, 'alerts', (all) => all.flatMap((p) => p.items).some((a: any) => a.kind === 'webhook_disabled'), 20_000)
    const ev = returnRequest()
    await ingest(ev)
    await ingest(statusEvent(ev.rmaId, 'cancelled'))
    const [payload] = await alert
    expect(payload.items.find((a: any) => a.kind === 'webhook_disabled')).toMatchObject({ subscriptionId: created.body.id, url: dead.url })
    socket.close()
    const now = await admin(`/api/v1/webhooks/${created.body.id}`)
    expect(now.body).toMatchObject({ enabled: false })
    expect(now.body.disabledReason).toMatch(/failed since/)
    // The attempt log is written just after each attempt: read it once the last is there.
    let entry: any
    for (let i = 0; i < 100 && entry?.status !== 'failed'; i++) {
      if (i) await new Promise((r) => setTimeout(r, 20))
      entry = (await admin(`/api/v1/webhooks/${created.body.id}/deliveries`)).body.items[0]
    }
    expect(entry.status).toBe('failed')
    expect(entry.attempts.at(-1).outcome).toBe('failed')
    expect(entry.attempts.every((a: any) => a.statusCode === 503)).toBe(true)
    await dead.close()
  }, 30_000)
})
