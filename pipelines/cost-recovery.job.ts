// Cost and recovery of the latest decision per return line: logistics, handling,
// refunds, repair, recovery, net cost and the baseline policy's net cost (savings).
import type { PipelineJob } from './job.js'
import { refreshSnapshot } from './snapshot.js'

export const costRecoveryJob: PipelineJob = {
  name: 'cost-recovery',
  schedule: '45 */2 * * * *',
  feedsKpis: true,
  async run({ client, asOf }) {
    const daily = await refreshSnapshot(client, 'cost_daily', 'cost-refresh-daily', asOf)
    const bySku = await refreshSnapshot(client, 'sku_costs', 'cost-refresh-sku', asOf)
    return { rows: daily + bySku }
  },
}
