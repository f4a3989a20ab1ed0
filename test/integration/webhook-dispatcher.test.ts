// The dispatcher against a real store and a real receiver: with room for only a few
// messages in memory, the rest wait in the outbox and are paged back in; every message
// arrives once, each return's in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BatchedWriter } from '../../server/store/writer.js'
import { loadPendingMessages, messageRow, type StoredSubscription } from '../../server/store/webhooks-repo.js'
import { WebhookDispatcher, type QueuedMessage } from '../../server/webhooks/dispatcher.js'
import { newSecret } from '../../server/webhooks/signature.js'
import { startTestServer, type TestServer } from '../helpers/runtime.js'
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js'

let server: TestServer
let receiver: Receiver

beforeAll(async () => {
  server = await startTestServer({})
  receiver = await startReceiver()
})
afterAll(async () => { await receiver?.close(); await server?.close() })

describe('webhook dispatcher', () => {
  it('pages spilled messages in from the outbox and delivers each once, in order per return', async () => {
    const client = server.runtime.ctx.store.client
    const writer = new BatchedWriter(server.runtime.ctx.store.rows, { batchSize: 1000, flushMs: 5, maxQueuedRows: 10_000 })
    const at = new Date()
    const sub: StoredSubscription = {
      id: 'wh_dispatchtest', url: receiver.url, events: ['return.status'], description: '', secret: newSecret(), previousSecret: '',
      rotatedAt: new Date(0), enabled: true, disabledReason: '', deleted: false, createdAt: at, updatedAt: at, author: 'test',
    }
    const dispatcher = new WebhookDispatcher({
      writer, subscription: () => sub, secretsOf: (s) => [s.secret],
      reload: async (limit, exclude) => (await loadPendingMessages(client, limit + exclude.size)).filter((m) => !exclude.has(m.msgId)).slice(0, limit),
      retryDelaysMs: [50], giveUpAfterMs: 60_000, timeoutMs: 2_000, concurrency: 4, maxInMemory: 5,
    })
    // Forty messages queued at once into room for five: most spill to the outbox.
    const total = 40
    for (let i = 0; i < total; i++) {
      const m = {
        msgId: `msg_dispatch${String(i).padStart(4, '0')}`, subscriptionId: sub.id, eventType: 'return.status' as const,
        orderKey: `R-${i % 4}`, seq: at.getTime() * 1000 + i, createdAt: at,
        body: JSON.stringify({ type: 'return.status', timestamp: at.toISOString(), data: { i, rmaId: `R-${i % 4}` } }),
      }
      const stored = writer.write('webhook_messages', [messageRow(m)])
      const queued: QueuedMessage = { ...m, attempts: 0, roundStartedAt: at, stored }
      dispatcher.enqueue(queued)
    }
    await receiver.waitFor((r) => r.filter((x) => x.id.startsWith('msg_dispatch')).length >= total, 30_000)
    // Anything sent twice would arrive in the meantime.
    await new Promise((r) => setTimeout(r, 200))
    const mine = receiver.received.filter((x) => x.id.startsWith('msg_dispatch'))
    expect(mine).toHaveLength(total)
    expect(new Set(mine.map((x) => x.id)).size).toBe(total)
    for (let lane = 0; lane < 4; lane++) {
      const order = mine.filter((x) => x.data.rmaId === `R-${lane}`).map((x) => x.data.i)
      expect(order).toEqual([...order].sort((a, b) => a - b))
    }
    await dispatcher.stop()
    await writer.close()
    // Every delivery is in the log, so nothing is pending for a restart.
    expect(await loadPendingMessages(client, 100)).toEqual([])
  }, 60_000)
})
