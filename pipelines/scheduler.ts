// Runs the analytics jobs on their cron schedules inside the server process (the
// embedded store allows one process per data dir). A tick is skipped while the previous
// run of the same job is still going; every run, skipped ones included, is recorded in
// pipeline_runs, and its outcome is published to the live rooms.
//
// Embedded chDB runs one query at a time per process, so while a job statement runs,
// dashboard reads wait for it. Jobs therefore keep their scheduled runs to short
// statements: turnaround and cost recompute only the months that changed, flows and the
// category trend read small snapshots, and a run with nothing new does nothing. Their full
// builds (first start, a job's rules version changing, an operator's rebuild) run in short
// passes, by request range and by month, and step aside between passes for the reads
// waiting on the store (snapshot.ts, betweenPasses); each goes live at once at the end.
import { randomUUID } from 'node:crypto'
import cron, { type ScheduledTask } from 'node-cron'
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import type { LiveHub } from '../server/live/hub.js'
import { namedQuery, query, toChTime, chTimeToIso } from '../server/store/query.js'
import { readKpis } from '../server/store/analytics/kpis.js'
import type { PipelineJob } from './job.js'
import { ALL_JOBS } from './jobs.js'

export type RunTrigger = 'scheduled' | 'manual' | 'startup'

/** A row of pipeline_runs as status() reads it (only the scheduler writes the table). */
const RunRow = z.object({
  job: z.string(), run_id: z.string(), started_at: z.string(), finished_at: z.string(),
  status: z.enum(['ok', 'failed', 'skipped']), duration_ms: z.coerce.number(), rows: z.coerce.number(),
  full: z.coerce.number(), error: z.string(),
})

export interface RunRecord {
  job: string
  runId: string
  trigger: RunTrigger
  status: 'ok' | 'failed' | 'skipped'
  startedAt: string
  finishedAt: string
  durationMs: number
  rows: number
  /** False when the run recomputed only what changed (turnaround, cost); true for a full refresh. */
  full: boolean
  /** Why a run failed or was skipped, fit for any viewer: no store or SQL text. */
  error?: string
  errorCode?: RunErrorCode
  /** The raw error of a failed run: logged, kept in pipeline_runs, shown to admins only. */
  errorDetail?: string
}

export type RunErrorCode = 'job_failed' | 'previous_run_going'

/** The viewer-facing code and message of a run that did not finish ok. */
function runError(job: string, runId: string, status: RunRecord['status']): Pick<RunRecord, 'error' | 'errorCode'> {
  if (status === 'failed') return { errorCode: 'job_failed', error: `the ${job} job failed; the server log has the detail (run ${runId})` }
  if (status === 'skipped') return { errorCode: 'previous_run_going', error: 'previous run still going' }
  return {}
}

/** A run record without its raw error, for viewers and the live room. */
export function forViewers<R extends { errorDetail?: string }>(record: R): Omit<R, 'errorDetail'> {
  const { errorDetail: _detail, ...rest } = record
  return rest
}

export type FailureLog = (fields: { job: string; runId: string; err: unknown }, message: string) => void

const logToStderr: FailureLog = (fields, message) => {
  console.error(`${message}: job ${fields.job}, run ${fields.runId}:`, fields.err)
}

export interface JobStatus {
  job: string
  schedule: string
  nextRunAt: string | null
  running: boolean
  lastRun: Omit<RunRecord, 'trigger'> | null
  recentRuns: Omit<RunRecord, 'trigger'>[]
}

/** What the jobs run against and where their outcomes are published. */
export interface SchedulerDeps {
  client: ClickHouseClient
  live: Pick<LiveHub, 'publish'>
}

/** Delay of the first run after start: lets the server answer health checks first. */
const STARTUP_DELAY_MS = 3_000

export class PipelineScheduler {
  private readonly jobs: Map<string, PipelineJob>
  private readonly inFlight = new Map<string, Promise<RunRecord>>()
  private tasks: ScheduledTask[] = []
  private startupTimer: NodeJS.Timeout | null = null
  private stopped = false

  constructor(
    private readonly deps: SchedulerDeps, jobs: PipelineJob[] = ALL_JOBS, private readonly now: () => Date = () => new Date(),
    private readonly logFailure: FailureLog = logToStderr,
  ) {
    this.jobs = new Map(jobs.map((j) => [j.name, j]))
  }

  has(name: string): boolean { return this.jobs.has(name) }
  get jobNames(): string[] { return [...this.jobs.keys()] }

  /** Starts the cron schedules and one run of every job shortly after. */
  start(): void {
    for (const job of this.jobs.values()) {
      this.tasks.push(cron.schedule(job.schedule, () => { void this.tick(job.name, 'scheduled') }, { name: `revnav:${job.name}` }))
    }
    this.startupTimer = setTimeout(() => { void this.runAllOnce() }, STARTUP_DELAY_MS)
    this.startupTimer.unref()
  }

  private async runAllOnce(): Promise<void> {
    // Sequential: the jobs share one store and the first dashboard reads need them all.
    for (const name of this.jobNames) {
      if (this.stopped) return
      await this.tick(name, 'startup')
    }
  }

  /**
   * A scheduled tick: skipped (and recorded as such) when the previous run of the same
   * job is still going, so slow runs never pile up.
   */
  async tick(name: string, trigger: RunTrigger = 'scheduled'): Promise<RunRecord> {
    const job = this.requireJob(name)
    if (this.inFlight.has(name)) {
      const at = this.now().toISOString()
      const runId = randomUUID()
      const skipped: RunRecord = { job: name, runId, trigger, status: 'skipped', startedAt: at, finishedAt: at, durationMs: 0, rows: 0, full: false, ...runError(name, runId, 'skipped') }
      await this.record(skipped)
      return skipped
    }
    return this.launch(job, trigger)
  }

  /**
   * Runs a job now and resolves when it finished; joins a run already going. A rebuild
   * (every output in full) waits for a run already going to end, then runs: joining it
   * would answer with a run that may have been incremental. `fresh` waits the same way
   * without a rebuild: a run started after the caller's change (new capacity), not one
   * that began before it.
   */
  async runNow(name: string, options: { rebuild?: boolean; fresh?: boolean } = {}): Promise<RunRecord> {
    const job = this.requireJob(name)
    if (!options.rebuild && !options.fresh) return this.inFlight.get(name) ?? this.launch(job, 'manual')
    for (let going = this.inFlight.get(name); going; going = this.inFlight.get(name)) await going
    return this.launch(job, 'manual', options.rebuild === true)
  }

  private launch(job: PipelineJob, trigger: RunTrigger, rebuild = false): Promise<RunRecord> {
    const run = this.execute(job, trigger, rebuild).finally(() => this.inFlight.delete(job.name))
    this.inFlight.set(job.name, run)
    return run
  }

  private async execute(job: PipelineJob, trigger: RunTrigger, rebuild: boolean): Promise<RunRecord> {
    const started = this.now()
    const t0 = performance.now()
    let record: RunRecord
    let newAnomalies: unknown[] = []
    try {
      const outcome = await job.run({ client: this.deps.client, asOf: started, rebuild })
      newAnomalies = outcome.newAnomalies ?? []
      record = this.finish(job, trigger, started, t0, 'ok', outcome.rows, outcome.full ?? true)
    } catch (error) {
      record = this.finish(job, trigger, started, t0, 'failed', 0, rebuild, String((error as Error)?.message ?? error))
      this.logFailure({ job: job.name, runId: record.runId, err: error }, 'pipeline run failed')
    }
    try {
      await this.record(record)
    } catch {
      // A lost run record must not turn a good run into a failure; the live message still goes out.
    }
    this.deps.live.publish('pipelines', forViewers(record))
    for (const anomaly of newAnomalies) this.deps.live.publish('alerts', anomaly)
    if (record.status === 'ok' && job.feedsKpis && !this.stopped) {
      try {
        this.deps.live.publish('kpis', await readKpis(this.deps.client, this.now()))
      } catch {
        // The next KPI-relevant run publishes again; the HTTP endpoint is always current.
      }
    }
    return record
  }

  private finish(job: PipelineJob, trigger: RunTrigger, started: Date, t0: number, status: RunRecord['status'], rows: number, full: boolean, detail?: string): RunRecord {
    const durationMs = Math.round(performance.now() - t0)
    const runId = randomUUID()
    return {
      job: job.name, runId, trigger, status,
      startedAt: started.toISOString(), finishedAt: new Date(started.getTime() + durationMs).toISOString(),
      durationMs, rows, full, ...runError(job.name, runId, status), ...(detail ? { errorDetail: detail } : {}),
    }
  }

  private async record(r: RunRecord): Promise<void> {
    await this.deps.client.insert({
      table: 'pipeline_runs',
      format: 'JSONEachRow',
      values: [{
        job: r.job, run_id: r.runId, started_at: toChTime(Date.parse(r.startedAt)), finished_at: toChTime(Date.parse(r.finishedAt)),
        status: r.status, duration_ms: r.durationMs, rows: r.rows, full: r.full ? 1 : 0, error: r.errorDetail ?? r.error ?? '',
      }],
    })
  }

  /**
   * Last runs (from pipeline_runs, so they survive restarts) and the next schedule per job.
   * A failed run's raw error (`errorDetail`) only with `detail` (admins).
   */
  async status(recent = 5, { detail = false }: { detail?: boolean } = {}): Promise<JobStatus[]> {
    const rows = await query(this.deps.client, {
      query: namedQuery('pipeline-runs-recent'), params: { recent }, tag: 'pipelines.status', schema: RunRow,
    })
    const byJob = new Map<string, JobStatus['recentRuns']>()
    for (const r of rows) {
      const list = byJob.get(r.job) ?? []
      list.push({
        job: r.job, runId: r.run_id, status: r.status, startedAt: chTimeToIso(r.started_at), finishedAt: chTimeToIso(r.finished_at),
        durationMs: Number(r.duration_ms), rows: Number(r.rows), full: Number(r.full) === 1,
        ...runError(r.job, r.run_id, r.status),
        ...(detail && r.status === 'failed' && r.error ? { errorDetail: r.error } : {}),
      })
      byJob.set(r.job, list)
    }
    const tasks = new Map(this.tasks.map((t) => [t.name, t]))
    return this.jobNames.map((name) => {
      const recentRuns = byJob.get(name) ?? []
      const next = tasks.get(`revnav:${name}`)?.getNextRun() ?? null
      return {
        job: name, schedule: this.jobs.get(name)!.schedule, nextRunAt: next ? next.toISOString() : null,
        running: this.inFlight.has(name), lastRun: recentRuns[0] ?? null, recentRuns,
      }
    })
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.startupTimer) clearTimeout(this.startupTimer)
    for (const t of this.tasks) await t.destroy()
    this.tasks = []
    await Promise.allSettled([...this.inFlight.values()])
  }

  private requireJob(name: string): PipelineJob {
    const job = this.jobs.get(name)
    if (!job) throw new UnknownJobError(name)
    return job
  }
}

export class UnknownJobError extends Error {
  constructor(readonly job: string) { super(`no pipeline job named ${job}`) }
}
