// The only reader of process.env. Parsed once with zod; a bad value stops start-up
// with a message naming the variable.
import { z } from 'zod'

const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true')

const Env = z.object({
  // TCP port of the HTTP API, dashboard and Socket.IO (one port for all three).
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  // Interface to bind; 0.0.0.0 so the dashboard is reachable from other machines.
  HOST: z.string().min(1).default('0.0.0.0'),
  // Embedded ClickHouse data, generated keys. One process owns it (chDB binds one dir per process).
  DATA_DIR: z.string().min(1).default('./data'),
  // Set to use a ClickHouse server instead of the embedded store (the scale-out path).
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain identifier').default('revnav'),
  // Comma-separated role:key pairs; unset → keys generated once into DATA_DIR/keys.json.
  API_KEYS: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Rows per ClickHouse insert: large enough to amortise a part write, small enough for latency.
  WRITER_BATCH_SIZE: z.coerce.number().int().positive().max(1_000_000).default(20_000),
  // Max time a row waits for others to share its insert when the table's writer is idle
  // (while an insert runs, rows queue and the next insert takes them all anyway). Short:
  // every request pays it twice (decisions, then events) before its acknowledgement.
  WRITER_FLUSH_MS: z.coerce.number().int().positive().max(60_000).default(10),
  // Queue bound (rows): beyond it ingest answers 503 + Retry-After instead of growing memory.
  WRITER_MAX_QUEUED_ROWS: z.coerce.number().int().positive().default(500_000),
  // Largest accepted request body.
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(32 * 1024 * 1024),
  // Bytes of event bodies (by Content-Length) being read or worked on at once; past it new
  // ingest requests get 503 + Retry-After before their body is read. Bounds memory (a body
  // grows ~10x once parsed) and the wait of admitted requests (they queue for the navigator).
  INGEST_MAX_BYTES_IN_FLIGHT: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  // Longest a newly admitted ingest request may expect to wait behind the bytes in flight,
  // at the rate the server has been finishing them (ms): past it 503 + Retry-After, so an
  // admitted producer gets its answer well within 10 s however slow the machine is today.
  INGEST_MAX_EXPECTED_WAIT_MS: z.coerce.number().int().positive().default(7_000),
  // Event-loop delay (p99 of the last half second, ms) past which ingest is shed: above it
  // health checks and every other answer are already slow, so more work would only add to it.
  INGEST_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().positive().default(100),
  // Longest the ingest path runs on the event loop before yielding (ms): small keeps health
  // checks and reads answering during a big batch; 0 yields after every event (tests).
  INGEST_SLICE_MS: z.coerce.number().min(0).max(1_000).default(8),
  // Network model file; the demo network ships with the project.
  NETWORK_FILE: z.string().optional(),
  // Demo stream on an empty store (DEMO=0 turns it off).
  DEMO: bool.default(true),
  // Demo rate in return requests per minute (gentle).
  DEMO_RATE_PER_MIN: z.coerce.number().positive().max(100_000).default(30),
  // Run the scheduled pipelines in-process.
  PIPELINES: bool.default(true),
  // Public base URL printed in the start-up banner.
  PUBLIC_URL: z.string().optional(),
  // Live rooms one Socket.IO connection may be in at once (each rma:<id> is a room).
  LIVE_MAX_ROOMS_PER_SOCKET: z.coerce.number().int().positive().max(1_000_000).default(200),
  // Per client address: failed authentications (wrong or missing key) allowed per
  // window; valid keys are never counted. Beyond it: 429 with Retry-After.
  AUTH_FAILURES_PER_WINDOW: z.coerce.number().int().positive().default(30),
  // Per client address: requests to the public tracking page's API per window.
  TRACK_REQUESTS_PER_WINDOW: z.coerce.number().int().positive().default(120),
  // The window of both limits above.
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().positive().max(86_400_000).default(60_000),
  // Webhooks: first retry delay; later ones follow the Standard Webhooks ladder scaled
  // from it (5 s → 5 min → 30 min → 2 h → 5 h → 10 h).
  WEBHOOK_FIRST_RETRY_MS: z.coerce.number().int().positive().max(30_000).default(5_000),
  // A message is given up this long after its round began; a subscription failing this
  // long without a success is disabled (the spec's "a day").
  WEBHOOK_GIVE_UP_MS: z.coerce.number().int().positive().default(24 * 3_600_000),
  // A receiver that has not answered within this long is counted as failed for the attempt.
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().max(120_000).default(10_000),
  // Requests in flight to all receivers together.
  WEBHOOK_CONCURRENCY: z.coerce.number().int().positive().max(1_000).default(64),
  // Messages queued in memory; beyond it they wait in the outbox and are paged in.
  WEBHOOK_MAX_QUEUED: z.coerce.number().int().positive().default(100_000),
})

export type Config = Readonly<z.infer<typeof Env>>

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`)
  }
  return Object.freeze(parsed.data)
}
