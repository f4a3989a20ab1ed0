// Admission control for ingest, decided from the request line and headers alone, so a
// request the server cannot take now costs neither reading nor parsing its body: past a
// bound it is a 503 with Retry-After, answered at once. The bounds: bytes of bodies in
// flight (each admitted request holds its Content-Length until its work is done), the
// writer's queue, and the event loop's recent delay.
export type AdmissionRefusal = 'bytes_in_flight' | 'writer_queue' | 'event_loop_delay'

export interface AdmissionOptions {
  maxBytesInFlight: number
  maxEventLoopDelayMs: number
  /** A body without Content-Length (chunked) is charged as the largest allowed body. */
  bodyLimitBytes: number
  eventLoopDelayMs: () => number
  writerFull: () => boolean
}

/** Held by an admitted request until its work is done; release() is idempotent. */
export interface AdmissionTicket { release(): void }

export class IngestAdmission {
  private bytesInFlight = 0
  private requestsInFlight = 0

  constructor(private readonly opts: AdmissionOptions) {}

  get inFlight(): { bytes: number; requests: number } {
    return { bytes: this.bytesInFlight, requests: this.requestsInFlight }
  }

  /** A ticket, or why the request is refused. */
  admit(contentLength: string | undefined): AdmissionTicket | AdmissionRefusal {
    const declared = Number(contentLength)
    // Charged at most the body limit: a larger declared body is refused (413) unread.
    const bytes = contentLength !== undefined && Number.isFinite(declared) && declared >= 0
      ? Math.min(declared, this.opts.bodyLimitBytes) : this.opts.bodyLimitBytes
    if (this.opts.eventLoopDelayMs() > this.opts.maxEventLoopDelayMs) return 'event_loop_delay'
    if (this.opts.writerFull()) return 'writer_queue'
    // One request is always let in when none is in flight, so a body larger than the
    // bound (but within the body limit) is slow rather than refused forever.
    if (this.requestsInFlight > 0 && this.bytesInFlight + bytes > this.opts.maxBytesInFlight) return 'bytes_in_flight'
    this.bytesInFlight += bytes
    this.requestsInFlight++
    let held = true
    return {
      release: () => {
        if (!held) return
        held = false
        this.bytesInFlight -= bytes
        this.requestsInFlight--
      },
    }
  }
}
