// A real local HTTP receiver for webhook tests and benches: records every request with
// its Standard Webhooks headers and answers what `answer` says (or never, to hang).
import { createServer, type IncomingMessage, type Server } from 'node:http'

export interface Received {
  id: string
  timestamp: number
  signature: string
  body: string
  type: string
  data: any
  status: number
  at: number
}

export interface Receiver {
  url: string
  received: Received[]
  /** Status to answer for a request; 'hang' keeps the connection open without answering. */
  answer: (r: Omit<Received, 'status' | 'at'>, count: number) => number | 'hang'
  waitFor(check: (all: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>
  close(): Promise<void>
}

export async function startReceiver(answer: Receiver['answer'] = () => 200): Promise<Receiver> {
  const hanging = new Set<IncomingMessage>()
  const counts = new Map<string, number>()
  const receiver: Receiver = {
    url: '', received: [], answer,
    async waitFor(check, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs
      while (!check(receiver.received)) {
        if (Date.now() > until) throw new Error(`receiver: condition not met in ${timeoutMs} ms; got ${receiver.received.length} requests`)
        await new Promise((r) => setTimeout(r, 20))
      }
      return receiver.received
    },
    close: () => new Promise<void>((resolve) => { for (const r of hanging) r.socket.destroy(); server.closeAllConnections(); server.close(() => resolve()) }),
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const parsed = JSON.parse(body)
      const base = {
        id: String(req.headers['webhook-id']), timestamp: Number(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']), body, type: parsed.type, data: parsed.data,
      }
      const n = (counts.get(base.id) ?? 0) + 1
      counts.set(base.id, n)
      const status = receiver.answer(base, n)
      if (status === 'hang') { hanging.add(req); return }
      receiver.received.push({ ...base, status, at: Date.now() })
      res.statusCode = status
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  receiver.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`
  return receiver
}
