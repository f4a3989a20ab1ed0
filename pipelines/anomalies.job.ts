// Return-rate anomalies (above category, or a spike against the SKU's own baseline),
// detected in SQL; episodes that are flagged for the first time come back as alerts.
import { z } from 'zod'
import { int } from '../server/store/columns.js'
import { namedQuery, query, toChTime } from '../server/store/query.js'
import { anomalyFromRow, DEFAULT_ANOMALY_RULES, OpenedRow, type AnomalyRules } from '../server/store/analytics/anomalies.js'
import type { PipelineJob } from './job.js'

const CountRow = z.object({ n: int })

export function anomaliesJobWith(rules: AnomalyRules = DEFAULT_ANOMALY_RULES): PipelineJob {
  return {
    name: 'anomalies',
    schedule: '50 */2 * * * *',
    feedsKpis: false,
    async run({ client, asOf }) {
      const params = { asOf: toChTime(asOf), ...rules }
      const settings = { log_comment: 'job.anomalies' }
      await client.command({ query: namedQuery('anomalies-detect'), query_params: params, clickhouse_settings: settings })
      await client.command({ query: namedQuery('anomalies-resolve'), query_params: params, clickhouse_settings: settings })
      const opened = await query(client, { query: namedQuery('anomalies-opened'), params, tag: 'job.anomalies.opened', schema: OpenedRow })
      const [{ n }] = await query(client, { query: namedQuery('anomalies-count-asof'), params, tag: 'job.anomalies.count', schema: CountRow })
      return { rows: n, newAnomalies: opened.map((r) => anomalyFromRow({ ...r, active: 1, last_seen_at: r.first_seen_at })) }
    },
  }
}

export const anomaliesJob = anomaliesJobWith()
