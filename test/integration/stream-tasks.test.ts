// Tasks moved by what the stream reports (server/tasks/stream-closer.ts): a scanner's
// return.status and return.inspected, sent by a producer rather than through the task
// API, start and finish the tasks of their return line, as changes by "stream" naming the
// event; a line-level status moves only its line's tasks; the task API's own events are
// not matched a second time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { collect, connect, subscribe } from '../helpers/socket.js'

let server: TestServer
let seq = 0

beforeAll(async () => {
  server = await startTestServer({ runtime: { navigator: true } })
})
afterAll(async () => { await server?.close() })

const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

function returnRequest(lines: number) {
  const items = [...server.runtime.navigator!.network.catalog.values()].filter((c) => c.category === 'electronics').slice(0, lines)
  const n = ++seq
  return {
    eventId: `stream-tasks-${n}`, type: 'return.requested', occurredAt: ago(120_000),
    rmaId: `RMA-STREAM-${n}`, orderId: `O-STREAM-${n}`,
    customer: { id: `C-S-${n}`, lat: 31.2, lon: 121.4, trusted: true }, channel: 'app',
    lines: items.map((item, i) => ({ lineId: `L${i + 1}`, sku: item.sku, qty: 1, unitPrice: item.price, reason: 'changed_mind', condition: 'like_new', wants: 'refund' })),
  }
}

/** Sends events as a producer would, then waits until their tasks were matched. */
async function report(events: object[]) {
  const res = await post(`${server.url}/api/v1/events`, events, TEST_KEYS.ingest)
  expect(res.status).toBe(200)
  expect(res.body.accepted).toBe(events.length)
  await server.runtime.streamTasks.drain()
  return res.body
}

const tasksOf = async (rmaId: string) => {
  const res = await get(`${server.url}/api/v1/tasks?rmaId=${rmaId}&limit=100`, TEST_KEYS.viewer)
  expect(res.status).toBe(200)
  return res.body.items as any[]
}
const status = (rmaId: string, s: string, extra: object = {}) =>
  ({ eventId: `st-${rmaId}-${s}-${++seq}`, type: 'return.status', occurredAt: ago(30_000), rmaId, status: s, ...extra })

describe('tasks the stream finishes', () => {
  it('a scan starts the inspection, the inspection finishes it, the refund system finishes the refund', async () => {
    const ev = returnRequest(1)
    const first = (await report([ev])).results[0].decisions[0]
    const plan = await tasksOf(ev.rmaId)
    const inspection = plan.find((t) => t.action === 'receive_and_inspect')
    expect(inspection).toMatchObject({ status: 'open', decisionId: first.decisionId })

    const socket = await connect(server.url, TEST_KEYS.viewer)
    await subscribe(socket, ['tasks'])
    const announced = collect(socket, 'tasks', (all) => all.flatMap((p) => p.items).some((m: any) => m.kind === 'updated' && m.task.changedBy === 'stream'))
    const received = status(ev.rmaId, 'received', { nodeId: first.receivingNodeId })
    await report([received])
    await announced
    socket.close()
    expect((await tasksOf(ev.rmaId)).find((t) => t.taskId === inspection.taskId))
      .toMatchObject({ status: 'in_progress', changedBy: 'stream', note: `reported by event ${received.eventId}` })

    const inspected = { eventId: `insp-${ev.rmaId}`, type: 'return.inspected', occurredAt: ago(20_000), rmaId: ev.rmaId, lineId: 'L1', sku: ev.lines[0].sku, grade: 'B', nodeId: first.receivingNodeId, findings: 'box dented' }
    const redecided = (await report([inspected])).results[0].decisions[0]
    expect(redecided.decisionId).not.toBe(first.decisionId)
    const after = await tasksOf(ev.rmaId)
    expect(after.find((t) => t.taskId === inspection.taskId)).toMatchObject({ status: 'done', changedBy: 'stream', grade: 'B', findings: 'box dented' })

    const refund = after.find((t) => t.decisionId === redecided.decisionId && t.role === 'finance')
    expect(refund).toMatchObject({ status: 'open' })
    await report([status(ev.rmaId, 'refunded')])
    expect((await tasksOf(ev.rmaId)).find((t) => t.taskId === refund.taskId)).toMatchObject({ status: 'done', changedBy: 'stream' })
    // Other tasks of the plan that no report finished stay open.
    const rest = (await tasksOf(ev.rmaId)).filter((t) => t.decisionId === redecided.decisionId && t.taskId !== refund.taskId)
    expect(rest.every((t) => t.status === 'open')).toBe(true)
  })

  it('a status naming a line moves only that line\'s tasks; one for the whole return moves every line\'s', async () => {
    const ev = returnRequest(2)
    await report([ev])
    const inspections = (await tasksOf(ev.rmaId)).filter((t) => t.action === 'receive_and_inspect')
    expect(inspections.map((t) => t.lineIndex).sort()).toEqual([0, 1])
    await report([status(ev.rmaId, 'received', { lineId: 'L2' })])
    const byLine = new Map((await tasksOf(ev.rmaId)).filter((t) => t.action === 'receive_and_inspect').map((t) => [t.lineIndex, t.status]))
    expect(byLine).toEqual(new Map([[0, 'open'], [1, 'in_progress']]))
    await report([status(ev.rmaId, 'received', { lineId: 'L9' })]) // no such line: nothing moves
    await report([status(ev.rmaId, 'received')])
    const all = (await tasksOf(ev.rmaId)).filter((t) => t.action === 'receive_and_inspect')
    expect(all.map((t) => t.status)).toEqual(['in_progress', 'in_progress'])
  })

  it('does not match the task API\'s own events a second time', async () => {
    const ev = returnRequest(1)
    await report([ev])
    const inspection = (await tasksOf(ev.rmaId)).find((t) => t.action === 'receive_and_inspect')
    const started = await post(`${server.url}/api/v1/tasks/${inspection.taskId}/start`, {}, TEST_KEYS.operator)
    expect(started.status).toBe(200)
    await server.runtime.streamTasks.drain()
    const rows = await (await server.runtime.ctx.store.client.query({
      query: 'SELECT actor FROM task_events WHERE task_id = {id:String}', query_params: { id: inspection.taskId }, format: 'JSONEachRow',
    })).json<{ actor: string }>()
    expect(rows.map((r) => r.actor)).toEqual([expect.stringMatching(/^operator:/)])
  })
})
