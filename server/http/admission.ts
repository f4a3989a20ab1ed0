// Admission control for ingest, decided from the request line and headers alone, so a
// request the server cannot take now costs neither reading nor parsing its body: past a
// bound it is a 503 with Retry-After, answered at once. The bounds: the writer's queue,
// bytes of bodies in flight (each admitted request holds its Content-Length until its
// work is done), the wait a new request would have behind those bytes at the rate the
// server has been getting through them, and the event loop's recent delay.
export type AdmissionRefusal = 'writer_queue' | 'event_loop_delay' | 'bytes_in_flight' | 'expected_wait'

export interface AdmissionOptions {
  maxBytesInFlight: number
  /** Longest a new request may expect to wait behind the work in flight (ms). */
  maxExpectedWaitMs: number
  maxEventLoopDelayMs: number
  /** A body without Content-Length (chunked) is charged as the largest allowed body. */
  bodyLimitBytes: number
  eventLoopDelayMs: () => number
  writerFull: () => boolean
  now?: () => number
}

/** Held by an admitted request until its work is done; release() is idempotent. */
export interface AdmissionTicket { release(): void }

export class IngestAdmission {
  private bytesInFlight = 0
  private requestsInFlight = 0
  /** Bytes finished per ms of busy time (some request in flight), smoothed; 0 until measured. */
  private bytesPerMs = 0
  private busySince = 0
  private readonly now: () => number

  constructor(private readonly opts: AdmissionOptions) {
    this.now = opts.now ?? (() => performance.now())
  }

  get inFlight(): { bytes: number; requests: number } {
    return { bytes: this.bytesInFlight, requests: this.requestsInFlight }
  }

  /**
   * Seconds a refused producer should wait: half the time to get through what is in flight
   * now. Refused producers come back spread out, and some before the work drains, so the
   * server is not left idle waiting for them (a resend that is refused again costs only
   * its headers' check).
   */
  retryAfterSeconds(): number {
    const ms = this.bytesPerMs > 0 ? this.bytesInFlight / this.bytesPerMs : 1000
    return Math.min(30, Math.max(1, Math.round(ms / 2000)))
  }

  /** A ticket, or why the request is refused. */
  admit(contentLength: string | undefined): AdmissionTicket | AdmissionRefusal {
    const declared = Number(contentLength)
    // Charged at most the body limit: a larger declared body is refused (413) unread.
    const bytes = contentLength !== undefined && Number.isFinite(declared) && declared >= 0
      ? Math.min(declared, this.opts.bodyLimitBytes) : this.opts.bodyLimitBytes
    if (this.opts.writerFull()) return 'writer_queue'
    // One request is always let in when no other is in flight: a body larger than the
    // bound is slow rather than refused forever, and a loop delay that ingest did not
    // cause (start-up, a busy machine) still lets producers through one at a time.
    if (this.requestsInFlight > 0) {
      if (this.opts.eventLoopDelayMs() > this.opts.maxEventLoopDelayMs) return 'event_loop_delay'
      if (this.bytesInFlight + bytes > this.opts.maxBytesInFlight) return 'bytes_in_flight'
      if (this.bytesPerMs > 0 && (this.bytesInFlight + bytes) / this.bytesPerMs > this.opts.maxExpectedWaitMs) return 'expected_wait'
    }
    if (this.requestsInFlight === 0) this.busySince = this.now()
    this.bytesInFlight += bytes
    this.requestsInFlight++
    let held = true
    return {
      release: () => {
        if (!held) return
        held = false
        this.measure(bytes)
        this.bytesInFlight -= bytes
        this.requestsInFlight--
      },
    }
  }

  // Throughput while busy: bytes finished over the busy time since the last finish. With
  // several requests in flight they share the time, so this is the server's rate, not one
  // request's. Smoothed so one odd batch does not swing admission.
  private measure(bytes: number): void {
    const now = this.now()
    const busyMs = now - this.busySince
    this.busySince = now
    if (busyMs <= 0) return
    const sample = bytes / busyMs
    this.bytesPerMs = this.bytesPerMs === 0 ? sample : 0.7 * this.bytesPerMs + 0.3 * sample
  }
}
