import { describe, expect, it } from 'vitest'
import { MessageSeq } from '../../../server/webhooks/message-seq.js'

describe('outbox message order keys', () => {
  it('increase strictly, also past 1,000 messages in one millisecond and for the batch that follows', () => {
    const seq = new MessageSeq()
    const t = new Date(Date.UTC(2026, 11, 2, 12))
    const big = Array.from({ length: 2_500 }, () => seq.next(t))
    const next = [seq.next(new Date(t.getTime() + 1)), seq.next(new Date(t.getTime() + 2))]
    const all = [...big, ...next]
    for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThan(all[i - 1])
  })

  it('never goes back when the clock does', () => {
    const seq = new MessageSeq()
    const a = seq.next(new Date(2_000))
    const b = seq.next(new Date(1_000))
    expect(b).toBeGreaterThan(a)
  })
})
