// Tasks from decisions: listed with status, worked through the API (start, done, fail,
// cancel), their results fed to the stream (timeline, tracking page, re-decision), the
// old plan cancelled on a re-decision, overdue ones raised once in the alerts room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { overdueTasksJob } from '../../pipelines/overdue-tasks.job.js'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { collect, connect, subscribe } from '../helpers/socket.js'

let server: TestServer
let seq = 0

beforeAll(async () => {
  server = await startTestServer({ runtime: { navigator: true } })
})
afterAll(async () => { await server?.close() })

function returnRequest(category = 'electronics') {
  const item = [...server.runtime.navigator!.network.catalog.values()].find((c) => c.category === category)!
  const n = ++seq
  return {
    eventId: `tasks-${n}`, type: 'return.requested', occurredAt: new Date(Date.now() - 60_000).toISOString(),
    rmaId: `RMA-TASKS-${n}`, orderId: `O-TASKS-${n}`,
    customer: { id: `C-T-${n}`, lat: 31.2, lon: 121.4, trusted: true }, channel: 'app',
    lines: [{ lineId: 'L1', sku: item.sku, qty: 1, unitPrice: item.price, reason: 'changed_mind', condition: 'like_new', wants: 'refund' }],
  }
}

const tasksOf = async (rmaId: string, extra = '') => {
  const res = await get(`${server.url}/api/v1/tasks?rmaId=${rmaId}&limit=100${extra}`, TEST_KEYS.viewer)
  expect(res.status).toBe(200)
  return res.body.items as any[]
}
const act = (taskId: string, action: string, body: object = {}) => post(`${server.url}/api/v1/tasks/${taskId}/${action}`, body, TEST_KEYS.operator)

describe('task lifecycle', () => {
  it('lists a return\'s plan as open tasks; the inspection goes open → in_progress → done, the timeline and tracking page follow, and the re-decision cancels the old plan', async () => {
    const ev = returnRequest()
    const accepted = await post(`${server.url}/api/v1/events`, ev, TEST_KEYS.ingest)
    const first = accepted.body.results[0].decisions[0]
    const tasks = await tasksOf(ev.rmaId)
    expect(tasks.length).toBeGreaterThan(1)
    expect(tasks.every((t) => t.status === 'open' && t.decisionId === first.decisionId && t.changedBy === 'navigator')).toBe(true)
    const inspection = tasks.find((t) => t.action === 'receive_and_inspect')
    expect(inspection).toMatchObject({ role: 'warehouse', nodeId: first.receivingNodeId })
    const oldOthers = tasks.filter((t) => t.taskId !== inspection.taskId)

    const socket = await connect(server.url, TEST_KEYS.viewer)
    await subscribe(socket, ['tasks'])
    const updates = collect(socket, 'tasks', (all) => all.flatMap((p) => p.items).some((m: any) => m.kind === 'updated' && m.task.status === 'in_progress'))

    const started = await post(`${server.url}/api/v1/tasks/${inspection.taskId}/start`, { note: 'parcel on the dock' }, TEST_KEYS.operator)
    expect(started.status).toBe(200)
    expect(started.body.task).toMatchObject({ status: 'in_progress', note: 'parcel on the dock' })
    expect(started.body.task.changedBy).toMatch(/^operator:[0-9a-f]{8}$/)
    await updates
    socket.close()
    const track = await get(`${server.url}/api/v1/track/${first.trackingToken}`)
    expect(track.body.status).toBe('received')

    // An inspection is done with its grade; without one it is a 400 naming the field.
    const noGrade = await act(inspection.taskId, 'done', {})
    expect(noGrade.status).toBe(400)
    expect(noGrade.body.issues[0].path).toBe('grade')
    const done = await act(inspection.taskId, 'done', { grade: 'C', findings: 'scuffed corner', note: 'checked' })
    expect(done.status).toBe(200)
    expect(done.body.task).toMatchObject({ status: 'done', grade: 'C' })
    const redecided = done.body.ingest.results.find((r: any) => r.decisions?.length)?.decisions[0]
    expect(redecided.decisionId).not.toBe(first.decisionId)

    const page = await get(`${server.url}/api/v1/returns/${ev.rmaId}`, TEST_KEYS.viewer)
    expect(page.body.decisions[0]).toMatchObject({ decisionId: redecided.decisionId, trigger: 'inspected', supersedes: first.decisionId })
    expect(page.body.timeline.map((t: any) => t.status)).toEqual(['received'])
    expect(page.body.inspections).toMatchObject([{ grade: 'C', findings: 'scuffed corner', lineId: 'L1' }])
    // The return page lists the new plan's tasks and the inspection done on the old one; not what was cancelled.
    const pageTasks = page.body.tasks.map((t: any) => [t.action, t.status, t.decisionId === redecided.decisionId])
    expect(pageTasks).toContainEqual(['receive_and_inspect', 'done', false])
    expect(pageTasks.filter(([, status]: any) => status === 'cancelled')).toEqual([])
    expect(pageTasks.filter(([, , fresh]: any) => fresh).length).toBeGreaterThan(0)

    const after = await tasksOf(ev.rmaId)
    const byId = new Map(after.map((t) => [t.taskId, t]))
    expect(byId.get(inspection.taskId)).toMatchObject({ status: 'done', grade: 'C', findings: 'scuffed corner' })
    for (const old of oldOthers) expect(byId.get(old.taskId)).toMatchObject({ status: 'cancelled', changedBy: 'navigator', note: `re-decided: ${redecided.decisionId}` })
    const fresh = after.filter((t) => t.decisionId === redecided.decisionId)
    expect(fresh.length).toBeGreaterThan(0)
    expect(fresh.every((t) => t.status === 'open')).toBe(true)

    // The refund of the new plan, done: the return reads as refunded everywhere.
    const refund = fresh.find((t) => t.role === 'finance')
    expect(refund).toBeTruthy()
    expect((await act(refund.taskId, 'done', { note: 'paid' })).status).toBe(200)
    const tracked = await get(`${server.url}/api/v1/track/${first.trackingToken}`)
    expect(tracked.body.timeline.map((t: any) => t.status)).toEqual(['requested', 'received', 'refunded'])
    expect(tracked.body.lines[0].refundStatus).toBe('refunded')

    // A retried action is answered again without a second event; a finished task moves no more.
    const retried = await act(refund.taskId, 'done', { note: 'paid' })
    expect(retried.status).toBe(200)
    expect(retried.body.ingest.duplicates).toBe(1)
    const conflict = await act(refund.taskId, 'start')
    expect(conflict.status).toBe(409)
    expect(conflict.body.status).toBe('done')
    expect((await act(oldOthers[0].taskId, 'done')).status).toBe(409)
  })

  it('filters by role, status and node, fails and cancels with a note, and names a bad parameter', async () => {
    const ev = returnRequest('apparel')
    await post(`${server.url}/api/v1/events`, ev, TEST_KEYS.ingest)
    const tasks = await tasksOf(ev.rmaId)
    const [a, b] = tasks
    expect((await act(a.taskId, 'fail', { note: 'courier no-show' })).body.task).toMatchObject({ status: 'failed', note: 'courier no-show' })
    expect((await act(b.taskId, 'cancel')).body.task.status).toBe('cancelled')
    expect((await tasksOf(ev.rmaId, '&status=failed')).map((t) => t.taskId)).toEqual([a.taskId])
    const warehouse = await tasksOf(ev.rmaId, '&role=warehouse')
    expect(warehouse.every((t) => t.role === 'warehouse')).toBe(true)
    const node = tasks.find((t) => t.nodeId)!.nodeId
    const atNode = await tasksOf(ev.rmaId, `&nodeId=${node}`)
    expect(atNode.length).toBeGreaterThan(0)
    expect(atNode.every((t) => t.nodeId === node)).toBe(true)
    // Most urgent first: priority, then due time.
    const all = await get(`${server.url}/api/v1/tasks?limit=500`, TEST_KEYS.viewer)
    const keys = all.body.items.map((t: any) => [-t.priority, t.dueAt])
    expect(keys).toEqual([...keys].sort((x: any, y: any) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0)))

    for (const [query, path] of [['status=lost', 'status'], ['role=chef', 'role'], ['limit=0', 'limit'], ['from=2026-13-01', 'from'], ['colour=red', '']]) {
      const res = await get(`${server.url}/api/v1/tasks?${query}`, TEST_KEYS.viewer)
      expect(res.status, query).toBe(400)
      if (path) expect(res.body.issues[0].path, query).toBe(path)
    }
    expect((await get(`${server.url}/api/v1/tasks?from=2026-05-02&to=2026-05-01`, TEST_KEYS.viewer)).status).toBe(400)
    expect((await get(`${server.url}/api/v1/tasks`, TEST_KEYS.ingest)).status).toBe(403)
    expect((await post(`${server.url}/api/v1/tasks/${a.taskId}/done`, {}, TEST_KEYS.viewer)).status).toBe(403)
    expect((await act('0000-nope.3', 'start')).status).toBe(404)
    expect((await act(a.taskId, 'explode')).status).toBe(400)
    expect((await act(b.taskId, 'done', { grade: 'A' })).status).toBe(409)
  })

  it('lists returns with open work: customers waiting longest, and overdue returns', async () => {
    const old = { ...returnRequest('footwear'), occurredAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }
    await post(`${server.url}/api/v1/events`, old, TEST_KEYS.ingest)
    const fresh = returnRequest('footwear')
    await post(`${server.url}/api/v1/events`, fresh, TEST_KEYS.ingest)
    const waiting = await get(`${server.url}/api/v1/tasks/returns?limit=200`, TEST_KEYS.viewer)
    expect(waiting.status).toBe(200)
    const ids = waiting.body.items.map((r: any) => r.rmaId)
    expect(ids.indexOf(old.rmaId)).toBeGreaterThanOrEqual(0)
    expect(ids.indexOf(old.rmaId)).toBeLessThan(ids.indexOf(fresh.rmaId))
    const since = waiting.body.items.map((r: any) => r.waitingSince)
    expect(since).toEqual([...since].sort())
    const overdue = await get(`${server.url}/api/v1/tasks/returns?sort=overdue&limit=200`, TEST_KEYS.viewer)
    const mine = overdue.body.items.find((r: any) => r.rmaId === old.rmaId)
    expect(mine.overdueTasks).toBeGreaterThan(0)
    expect(mine.openTasks).toBeGreaterThanOrEqual(mine.overdueTasks)
    expect(overdue.body.items.every((r: any) => r.overdueTasks > 0)).toBe(true)
    expect(overdue.body.items.some((r: any) => r.rmaId === fresh.rmaId)).toBe(false)
    expect((await get(`${server.url}/api/v1/tasks/returns?sort=newest`, TEST_KEYS.viewer)).body.issues[0].path).toBe('sort')
  })

  it('raises each overdue task once', async () => {
    const ev = returnRequest('home')
    await post(`${server.url}/api/v1/events`, ev, TEST_KEYS.ingest)
    const open = (await tasksOf(ev.rmaId)).filter((t) => t.status === 'open')
    const latestDue = open.map((t) => Date.parse(t.dueAt)).sort((x, y) => y - x)[0]
    const asOf = new Date(latestDue + 60_000)
    const client = server.runtime.ctx.store.client
    const run = await overdueTasksJob.run({ client, asOf })
    const alerted = (run.newAnomalies as any[]).filter((a) => a.rmaId === ev.rmaId)
    expect(alerted.map((a) => a.taskId).sort()).toEqual(open.map((t) => t.taskId).sort())
    expect(alerted[0]).toMatchObject({ kind: 'task_overdue', id: `overdue:${alerted[0].taskId}` })
    const again = await overdueTasksJob.run({ client, asOf: new Date(asOf.getTime() + 60_000) })
    expect((again.newAnomalies as any[]).filter((a) => a.rmaId === ev.rmaId)).toEqual([])
  })
})
