// Resolution and disposition mix as reason → resolution → disposition flows, from the
// cost job's cost_daily (current decisions per decided day), so it runs after that job
// (ALL_JOBS order) and is as current as its last run.
import type { PipelineJob } from './job.js'
import { refreshSnapshot } from './snapshot.js'

export const flowsJob: PipelineJob = {
  name: 'flows',
  schedule: '0 */5 * * * *',
  feedsKpis: false,
  async run({ client, asOf }) {
    return { rows: await refreshSnapshot(client, 'flows', 'flows-refresh', asOf) }
  },
}
