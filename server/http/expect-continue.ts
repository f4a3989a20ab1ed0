// Expect: 100-continue (RFC 9110 §10.1.1): a producer about to send a large body may ask
// first. The 100 goes out only once the request has passed every check made before the
// body is read (rate limit, key, ingest admission: the onRequest hooks), so a request
// refused there is answered before a byte of its body crosses the network, and neither
// side spends CPU on an upload that would be thrown away. Node would otherwise answer 100
// at once, before any hook ran.
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'

/** Requests that asked for a 100 and have not been sent one. */
const awaitingContinue = new WeakSet<IncomingMessage>()

export function deferContinueUntilAdmitted(app: FastifyInstance): void {
  app.server.on('checkContinue', (req, res) => {
    awaitingContinue.add(req)
    app.server.emit('request', req, res)
  })
  // preParsing runs after the onRequest hooks, just before the body is read.
  app.addHook('preParsing', async (request, reply, payload) => {
    if (awaitingContinue.delete(request.raw)) reply.raw.writeContinue()
    return payload
  })
  app.addHook('onSend', async (request, reply, payload) => {
    // Answered without a 100: the client does not send the body, so the connection's next
    // bytes would be neither this body nor surely a new request. It is closed.
    if (awaitingContinue.has(request.raw)) void reply.header('connection', 'close')
    return payload
  })
}
