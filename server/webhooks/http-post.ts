// One POST to a receiver over node:http(s) with keep-alive agents: fetch() (undici)
// sustained a fraction of their request rate to a local receiver, and the webhooks bench
// measures deliveries per second. Redirects are not followed; the answer's body is
// drained, not read: the spec ignores it.
import http from 'node:http'
import https from 'node:https'

export interface PostResult { statusCode: number }

export class ReceiverAgents {
  private readonly http: http.Agent
  private readonly https: https.Agent

  constructor(maxSockets: number) {
    this.http = new http.Agent({ keepAlive: true, maxSockets })
    this.https = new https.Agent({ keepAlive: true, maxSockets })
  }

  post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<PostResult> {
    const secure = url.startsWith('https:')
    const request = secure ? https.request : http.request
    return new Promise((resolve, reject) => {
      const req = request(url, {
        method: 'POST', agent: secure ? this.https : this.http, signal,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      }, (res) => {
        res.resume()
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0 }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  destroy(): void {
    this.http.destroy()
    this.https.destroy()
  }
}
