// Issue 18 benchmark: webhooks must never slow ingest, and must deliver fast.
// 1. Ingest p99 (HTTP, batches of return requests, acknowledged after durable) with a
//    subscription to every event type whose receiver never answers, against no
//    subscription at all; rounds alternate on the same server so drift hits all modes.
//    A third mode subscribes the hanging receiver to a type this workload never raises
//    (anomaly.raised): the receiver without the outbox traffic, which tells apart what
//    a dead receiver costs from what writing the messages costs.
// 2. Deliveries per second to a fast local receiver: the dispatcher (outbox messages
//    already durable, attempts recorded in the store as in production) draining a
//    backlog spread over many returns.
// The receivers run in this process, so they share its event loop and the two cores
// with the server: the delivery rate is a lower bound.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { WEBHOOK_EVENT_TYPES } from '../../server/contracts/webhooks.js'
import { int } from '../../server/store/columns.js'
import { query } from '../../server/store/query.js'
import { BatchedWriter } from '../../server/store/writer.js'
import type { StoredSubscription } from '../../server/store/webhooks-repo.js'
import { WebhookDispatcher, type QueuedMessage } from '../../server/webhooks/dispatcher.js'
import { newSecret } from '../../server/webhooks/signature.js'
import { startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { startReceiver } from '../helpers/webhook-receiver.js'
import { benchReturnRequests } from './generators.js'
import { benchSql } from './sql.js'
import { median, quantile, round } from './stats.js'

const BATCH = Number(process.env.BENCH_WEBHOOK_BATCH ?? 50)
const REQUESTS_PER_ROUND = Number(process.env.BENCH_WEBHOOK_REQUESTS ?? 120)
const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 9)
const MODES = ['none', 'hanging', 'hangingNoMessages'] as const
const PRODUCERS = 4
const DELIVERIES = Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 10_000)

async function ingestRound(server: TestServer, bodies: string[]): Promise<number[]> {
  const latencies: number[] = []
  let next = 0
  const producer = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]
      const t0 = performance.now()
      const res = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.ingest}`, 'content-type': 'application/json' }, body })
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}`)
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: PRODUCERS }, producer))
  return latencies
}

async function ingestWithHangingReceiver() {
  const hanging = await startReceiver(() => 'hang')
  const server = await startTestServer({ runtime: { navigator: true } })
  try {
    const skus = [...server.runtime.navigator!.network.catalog.values()].map((c) => ({ sku: c.sku, price: c.price }))
    const requests = benchReturnRequests(BATCH * REQUESTS_PER_ROUND * (ROUNDS + 1), 18, skus)
    const bodies = Array.from({ length: requests.length / BATCH }, (_, i) => JSON.stringify(requests.slice(i * BATCH, (i + 1) * BATCH)))
    const take = (() => { let at = 0; return (n: number) => bodies.slice(at, (at += n)) })()
    await ingestRound(server, take(REQUESTS_PER_ROUND)) // warm-up
    const p99 = { none: [] as number[], hanging: [] as number[], hangingNoMessages: [] as number[] }
    const all = { none: [] as number[], hanging: [] as number[], hangingNoMessages: [] as number[] }
    let messages = 0
    for (let r = 0; r < ROUNDS; r++) {
      const mode = MODES[r % MODES.length]
      let subId: string | undefined
      if (mode !== 'none') {
        const res = await fetch(`${server.url}/api/v1/webhooks`, {
          method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.admin}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url: hanging.url, events: mode === 'hanging' ? WEBHOOK_EVENT_TYPES : ['anomaly.raised'] }),
        })
        subId = ((await res.json()) as { id: string }).id
      }
      const lat = (await ingestRound(server, take(REQUESTS_PER_ROUND))).sort((a, b) => a - b)
      p99[mode].push(round(quantile(lat, 0.99), 1))
      all[mode].push(...lat)
      if (subId) {
        const n = await count(server.runtime.ctx.store.client, subId)
        messages += n
        await fetch(`${server.url}/api/v1/webhooks/${subId}`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_KEYS.admin}` } })
      }
    }
    const none = median(p99.none)
    const hang = median(p99.hanging)
    const quiet = median(p99.hangingNoMessages)
    return {
      requestsPerRound: REQUESTS_PER_ROUND, eventsPerRequest: BATCH, producers: PRODUCERS, roundsEach: ROUNDS / MODES.length,
      p99MsNone: p99.none, p99MsHanging: p99.hanging, p99MsHangingNoMessages: p99.hangingNoMessages,
      medianP99MsNone: none, medianP99MsHanging: hang, medianP99MsHangingNoMessages: quiet,
      p99RatioHangingOverNone: round(hang / none, 3),
      p99RatioHangingNoMessagesOverNone: round(quiet / none, 3),
      p50MsNone: round(median(all.none), 1), p50MsHanging: round(median(all.hanging), 1), p50MsHangingNoMessages: round(median(all.hangingNoMessages), 1),
      outboxMessagesWhileHanging: messages,
    }
  } finally {
    await server.close()
    await hanging.close()
  }
}

async function count(client: ClickHouseClient, subId: string): Promise<number> {
  const [{ n }] = await query(client, { query: benchSql('webhook-messages-count'), params: { s: subId }, tag: 'bench.webhooks.count', schema: z.object({ n: int }) })
  return n
}

async function deliveryRate() {
  const receiver = await startReceiver(() => 200)
  const server = await startTestServer({})
  const client = server.runtime.ctx.store.client
  const writer = new BatchedWriter(server.runtime.ctx.store.rows, { batchSize: 5_000, flushMs: 20, maxQueuedRows: 500_000 })
  const at = new Date()
  const sub: StoredSubscription = {
    id: 'wh_benchbench', url: receiver.url, events: [...WEBHOOK_EVENT_TYPES], description: '', secret: newSecret(), previousSecret: '',
    rotatedAt: new Date(0), enabled: true, disabledReason: '', deleted: false, createdAt: at, updatedAt: at, author: 'bench',
  }
  const dispatcher = new WebhookDispatcher({
    writer, subscription: () => sub, secretsOf: (s) => [s.secret], reload: async () => [],
    retryDelaysMs: [5_000], giveUpAfterMs: 86_400_000, timeoutMs: 10_000, concurrency: 64, maxInMemory: 1_000_000,
  })
  try {
    // Five messages per return (a decision and its tasks), in order per return.
    const body = JSON.stringify({ type: 'task.created', timestamp: at.toISOString(), data: { taskId: 'x'.repeat(36), detail: { priority: 1.5, sku: 'SKU-1' }, rmaId: 'RMA-x' } })
    const t0 = performance.now()
    for (let i = 0; i < DELIVERIES; i++) {
      const m: QueuedMessage = {
        msgId: `msg_bench${String(i).padStart(8, '0')}`, subscriptionId: sub.id, eventType: 'task.created', orderKey: `RMA-${Math.floor(i / 5)}`,
        seq: i, body, createdAt: at, attempts: 0, roundStartedAt: at, stored: Promise.resolve(),
      }
      dispatcher.enqueue(m)
    }
    await receiver.waitFor((r) => r.length >= DELIVERIES, 600_000)
    const deliveredMs = performance.now() - t0
    await writer.drain()
    const recordedMs = performance.now() - t0
    const ok = receiver.received.filter((r) => r.status === 200).length
    return {
      messages: DELIVERIES, lanes: DELIVERIES / 5, concurrency: 64,
      deliveriesPerSecond: round(ok / (deliveredMs / 1000), 0),
      deliveriesPerSecondIncludingLog: round(ok / (recordedMs / 1000), 0),
    }
  } finally {
    await dispatcher.stop()
    await writer.close()
    await server.close()
    await receiver.close()
  }
}

export async function runWebhooksBench() {
  return { ingest: await ingestWithHangingReceiver(), delivery: await deliveryRate() }
}
