// Turnaround percentiles per request day, warehouse, resolution and stage, and the
// returns still open by status (both read the same status history).
import type { PipelineJob } from './job.js'
import { refreshSnapshot } from './snapshot.js'

export const turnaroundJob: PipelineJob = {
  name: 'turnaround',
  schedule: '15 */2 * * * *',
  feedsKpis: true,
  async run({ client, asOf }) {
    const stages = await refreshSnapshot(client, 'turnaround_daily', 'turnaround-refresh', asOf)
    const open = await refreshSnapshot(client, 'open_returns', 'open-returns-refresh', asOf)
    return { rows: stages + open }
  },
}
