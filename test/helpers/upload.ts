// A POST whose body is sent only as far as the test says: for checking what the server
// answers before it has read a body, and what it does when the client goes away.
import { request as httpRequest, type ClientRequest } from 'node:http'

export interface Upload {
  req: ClientRequest
  /** The server's answer, whenever it comes (possibly before the body is complete). */
  response: Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>
}

export function startUpload(url: string, path: string, headers: Record<string, string | number>): Upload {
  const req = httpRequest(`${url}${path}`, { method: 'POST', headers, agent: false })
  const response = new Promise<Upload['response'] extends Promise<infer R> ? R : never>((resolve, reject) => {
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => { text += d })
      res.on('end', () => {
        let body: any = text
        try { body = JSON.parse(text) } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
      res.on('error', reject)
    })
    // The server may close while we still send the discarded rest: not a test failure.
    req.on('error', () => {})
  })
  return { req, response }
}

/** Resolves once `condition` holds, checking between event-loop turns (no fixed sleeps). */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
  const started = Date.now()
  while (!(await condition())) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
