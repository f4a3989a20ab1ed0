// Standard Webhooks signatures: the spec's own example vector, rotation, tampering.
import { describe, expect, it } from 'vitest'
import { newSecret, sign, signatureHeader, verify } from '../../../server/webhooks/signature.js'

describe('webhook signatures', () => {
  it('matches the example of the Standard Webhooks spec', () => {
    expect(sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'))
      .toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })

  it('issues whsec_ secrets of 32 random bytes', () => {
    const a = newSecret()
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32)
    expect(newSecret()).not.toBe(a)
  })

  it('signs with every secret during a rotation, and a changed body, id or time fails', () => {
    const [old, next] = [newSecret(), newSecret()]
    const header = signatureHeader([next, old], 'msg_1', 1700000000, '{"a":1}')
    expect(header.split(' ')).toHaveLength(2)
    expect(verify(old, 'msg_1', 1700000000, '{"a":1}', header)).toBe(true)
    expect(verify(next, 'msg_1', 1700000000, '{"a":1}', header)).toBe(true)
    expect(verify(next, 'msg_1', 1700000000, '{"a":2}', header)).toBe(false)
    expect(verify(next, 'msg_2', 1700000000, '{"a":1}', header)).toBe(false)
    expect(verify(next, 'msg_1', 1700000001, '{"a":1}', header)).toBe(false)
    expect(verify(newSecret(), 'msg_1', 1700000000, '{"a":1}', header)).toBe(false)
  })
})
