// Standard Webhooks signing: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by
// the bytes of the secret's base64 part after "whsec_". Several signatures are
// space-separated (a rotated secret signs alongside the new one for a while).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const PREFIX = 'whsec_'

/** 32 random bytes: the spec asks for 24 to 64. */
export function newSecret(): string {
  return PREFIX + randomBytes(32).toString('base64')
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64')
}

export function sign(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  return 'v1,' + createHmac('sha256', keyOf(secret)).update(`${msgId}.${timestampSeconds}.${body}`).digest('base64')
}

/** The webhook-signature header value: one signature per secret. */
export function signatureHeader(secrets: string[], msgId: string, timestampSeconds: number, body: string): string {
  return secrets.map((s) => sign(s, msgId, timestampSeconds, body)).join(' ')
}

/** What a receiver does: true when any signature in the header matches. */
export function verify(secret: string, msgId: string, timestampSeconds: number, body: string, header: string): boolean {
  const expected = Buffer.from(sign(secret, msgId, timestampSeconds, body))
  return header.split(' ').some((candidate) => {
    const got = Buffer.from(candidate)
    return got.length === expected.length && timingSafeEqual(got, expected)
  })
}
