// Which bound refuses an ingest request, decided from its headers alone.
import { describe, expect, it } from 'vitest'
import { IngestAdmission, type AdmissionOptions } from '../../server/http/admission.js'

const options = (over: Partial<AdmissionOptions> = {}): AdmissionOptions => ({
  maxBytesInFlight: 1_000, maxExpectedWaitMs: 5_000, maxEventLoopDelayMs: 100, bodyLimitBytes: 10_000,
  eventLoopDelayMs: () => 0, writerFull: () => false, ...over,
})

describe('IngestAdmission', () => {
  it.each<[string, Partial<AdmissionOptions>, string[], string | undefined, string]>([
    ['a request under the bound', {}, ['400'], '500', 'admitted'],
    ['a request past the bound', {}, ['600'], '500', 'bytes_in_flight'],
    ['a lone request larger than the bound', {}, [], '5000', 'admitted'],
    ['a chunked request (charged the body limit) behind another', {}, ['1'], undefined, 'bytes_in_flight'],
    ['a request while the loop lags and another is in flight', { eventLoopDelayMs: () => 250 }, ['10'], '10', 'event_loop_delay'],
    ['a lone request while the loop lags', { eventLoopDelayMs: () => 250 }, [], '10', 'admitted'],
    ['a request while the writer queue is full', { writerFull: () => true }, [], '10', 'writer_queue'],
  ])('%s', (_name, over, before, length, expected) => {
    // The earlier requests are admitted while the loop is fine; `over` applies to the last.
    let lagging = false
    const admission = new IngestAdmission(options({ ...over, eventLoopDelayMs: () => (lagging ? over.eventLoopDelayMs?.() ?? 0 : 0) }))
    for (const b of before) expect(typeof admission.admit(b)).toBe('object')
    lagging = true
    const ticket = admission.admit(length)
    expect(typeof ticket === 'string' ? ticket : 'admitted').toBe(expected)
  })

  it('refuses a request that would wait too long at the measured rate, and says how long to wait', () => {
    let now = 0
    const admission = new IngestAdmission(options({ maxBytesInFlight: 1_000_000, now: () => now }))
    // 1,000 bytes finished in 1 s: 1 byte/ms.
    const first = admission.admit('1000')
    if (typeof first === 'string') throw new Error(first)
    now = 1_000
    first.release()
    // 3,000 bytes in flight (3 s of work) is within the 5 s wait; 3,000 more would be 6 s.
    expect(typeof admission.admit('3000')).toBe('object')
    expect(admission.admit('3000')).toBe('expected_wait')
    // 3 s of work in flight: come back in half that (rounded).
    expect(admission.retryAfterSeconds()).toBe(2)
  })

  it('frees a place once, however often it is released', () => {
    const admission = new IngestAdmission(options())
    const first = admission.admit('600')
    if (typeof first === 'string') throw new Error(first)
    expect(admission.admit('600')).toBe('bytes_in_flight')
    first.release()
    first.release()
    expect(admission.inFlight).toEqual({ bytes: 0, requests: 0 })
    expect(typeof admission.admit('600')).toBe('object')
    expect(admission.inFlight).toEqual({ bytes: 600, requests: 1 })
  })
})
