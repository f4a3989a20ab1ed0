// Resolution and disposition mix as reason → resolution → disposition flows.
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
