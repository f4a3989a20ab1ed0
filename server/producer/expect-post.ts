// POST with Expect: 100-continue (RFC 9110 §10.1.1): the headers go first and the body
// only after the server's 100, so a request the server refuses before reading bodies
// (bad key, overloaded: 503 + Retry-After) costs neither side the upload. A server that
// does not answer 100 within a second gets the body anyway, as the RFC asks of clients.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'

export interface PostAnswer { status: number; headers: IncomingHttpHeaders; text: string }

const WAIT_FOR_100_MS = 1_000

export function postExpectingContinue(url: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<PostAnswer> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, expect: '100-continue', 'content-length': body.length },
      timeout: timeoutMs,
    })
    let bodySent = false
    const sendBody = () => { if (!bodySent) { bodySent = true; req.end(body) } }
    const fallback = setTimeout(sendBody, WAIT_FOR_100_MS)
    req.on('continue', () => { clearTimeout(fallback); sendBody() })
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)))
    req.on('error', (error) => { clearTimeout(fallback); reject(error) })
    req.on('response', (res) => {
      clearTimeout(fallback)
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') })
        // Answered before the body went: the request is over without it.
        if (!bodySent) req.destroy()
      })
    })
    req.flushHeaders()
  })
}
