// Prometheus metrics of ingestion and the writer.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { EVENT_TYPES } from './contracts/enums.js'

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES)

/**
 * The `type` label of an event: one of the contract's types, else `invalid`. A rejected
 * event's type is whatever the producer sent; as a label it would make one series per
 * distinct string (and carry control characters into /metrics).
 */
export function typeLabel(type: unknown): string {
  return typeof type === 'string' && KNOWN_TYPES.has(type) ? type : 'invalid'
}

export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const events = new Counter({
    name: 'revnav_events_total', help: 'Events received, by type and outcome',
    labelNames: ['type', 'status'] as const, registers: [registry],
  })
  const batchRows = new Histogram({
    name: 'revnav_writer_batch_rows', help: 'Rows per ClickHouse insert', labelNames: ['table'] as const,
    buckets: [1, 10, 100, 1_000, 5_000, 20_000, 100_000], registers: [registry],
  })
  const flushSeconds = new Histogram({
    name: 'revnav_writer_flush_seconds', help: 'Latency of one ClickHouse insert', labelNames: ['table', 'ok'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5], registers: [registry],
  })
  const queueDepth = new Gauge({ name: 'revnav_writer_queue_rows', help: 'Rows queued, not yet durable', registers: [registry] })
  const decisions = new Counter({ name: 'revnav_decisions_total', help: 'Navigator decisions made', labelNames: ['trigger'] as const, registers: [registry] })
  const shed = new Counter({
    name: 'revnav_ingest_shed_total', help: 'Ingest requests answered 503 by admission control, by bound',
    labelNames: ['reason'] as const, registers: [registry],
  })
  const ingestBytesInFlight = new Gauge({
    name: 'revnav_ingest_bytes_in_flight', help: 'Bytes (by Content-Length) of admitted ingest requests being read or worked on',
    registers: [registry],
  })
  return {
    registry, queueDepth, decisions, shed, ingestBytesInFlight,
    counted: (type: string, status: string, n = 1) => events.inc({ type: typeLabel(type), status }, n),
    flushed: (table: string, rows: number, ms: number, ok: boolean) => {
      batchRows.observe({ table }, rows)
      flushSeconds.observe({ table, ok: String(ok) }, ms / 1000)
    },
  }
}
export type Metrics = ReturnType<typeof createMetrics>
