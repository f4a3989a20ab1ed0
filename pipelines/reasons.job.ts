// Reason distribution per category and per SKU over the rolling windows, and the
// reconciliation of the per-category roll-up that custom day ranges read live
// (category_reasons_daily, 0029): its returns were filed under their SKU's category when
// they were stored, so rows of a SKU that has moved since are put under the catalog's
// current category here, before the snapshot is built from the same catalog.
import type { PipelineJob } from './job.js'
import { fillStatement, refreshSnapshot } from './snapshot.js'

export const reasonsJob: PipelineJob = {
  name: 'reasons',
  schedule: '30 */3 * * * *',
  feedsKpis: false,
  async run({ client, asOf }) {
    // The lookup first, so returns stored from now on are filed under the right category.
    for (const name of ['category-lookup-repair', 'category-reasons-reconcile']) {
      await fillStatement(client, name, `job.${name}`, {})
    }
    return { rows: await refreshSnapshot(client, 'reason_mix', 'reasons-refresh', asOf) }
  },
}
