// HTTP transport for the simulator: NDJSON batches to POST /api/v1/events. 503 becomes
// Backpressure with the server's Retry-After; an answer that retrying cannot fix (bad
// key, wrong role, body too large) stops the run.
import type { Event } from '../contracts/events.js'
import { Backpressure, FatalSendError, type Sender, type SendOutcome } from './driver.js'
import { postExpectingContinue } from '../producer/expect-post.js'

export interface HttpTarget { url: string; key: string; timeoutMs?: number }

export function eventsUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/api/v1/events`
}

export function httpSender(target: HttpTarget): Sender {
  const url = eventsUrl(target.url)
  return async (events: Event[]): Promise<SendOutcome> => {
    // Expect: 100-continue, so a batch the server sheds is refused before it is uploaded.
    const res = await postExpectingContinue(url,
      { authorization: `Bearer ${target.key}`, 'content-type': 'application/x-ndjson' },
      Buffer.from(events.map((e) => JSON.stringify(e)).join('\n')),
      target.timeoutMs ?? 60_000)
    const text = res.text
    const retryAfter = res.headers['retry-after']
    if (res.status === 503) throw new Backpressure(retryAfterMs(typeof retryAfter === 'string' ? retryAfter : null), `503 ${text.slice(0, 120)}`)
    if (res.status === 200) return JSON.parse(text) as SendOutcome
    const message = `POST ${url} answered ${res.status}: ${text.slice(0, 200)}`
    if ([400, 401, 403, 404, 413, 415].includes(res.status)) throw new FatalSendError(message)
    throw new Error(message)
  }
}

/** Retry-After in seconds or as an HTTP date; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1_000
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const at = Date.parse(header)
  return Number.isFinite(at) ? Math.max(0, at - now) : 1_000
}
