// Reason distribution per category and per SKU over the rolling windows.
import type { PipelineJob } from './job.js'
import { refreshSnapshot } from './snapshot.js'

export const reasonsJob: PipelineJob = {
  name: 'reasons',
  schedule: '30 */3 * * * *',
  feedsKpis: false,
  async run({ client, asOf }) {
    return { rows: await refreshSnapshot(client, 'reason_mix', 'reasons-refresh', asOf) }
  },
}
