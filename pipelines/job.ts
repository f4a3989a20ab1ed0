// What every scheduled job is: a name, a cron schedule and a run that does its work in
// ClickHouse and reports how many rows it produced.
import type { ClickHouseClient } from '@clickhouse/client'

export interface JobRunContext {
  client: ClickHouseClient
  /** The run's as-of time: every window ends on this day, so a run is reproducible. */
  asOf: Date
  /**
   * Build every output in full, as on a first start, even where the job would otherwise
   * recompute only what changed (an operator's rebuild, e.g. after correcting history).
   * Jobs that rebuild in full on every run ignore it.
   */
  rebuild?: boolean
}

export interface JobOutcome {
  /** Rows written by the run (snapshot sizes, anomaly rows). */
  rows: number
  /** Anomalies first seen in this run (published to the 'alerts' room). */
  newAnomalies?: unknown[]
  /** False when the run recomputed only what changed; absent means a full refresh. */
  full?: boolean
}

export interface PipelineJob {
  name: string
  /** node-cron expression (with seconds); the default cadence of the job. */
  schedule: string
  /** True when the job's output feeds /api/v1/kpis, so a 'kpis' update follows a run. */
  feedsKpis: boolean
  run(ctx: JobRunContext): Promise<JobOutcome>
}
