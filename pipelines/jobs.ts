// The scheduled jobs, in the order a first run should take them: costs feed the SKU
// list's net cost and the anomalies read fresh roll-ups.
import { anomaliesJob } from './anomalies.job.js'
import { costRecoveryJob } from './cost-recovery.job.js'
import { flowsJob } from './flows.job.js'
import { overdueTasksJob } from './overdue-tasks.job.js'
import type { PipelineJob } from './job.js'
import { reasonsJob } from './reasons.job.js'
import { returnRatesJob } from './return-rates.job.js'
import { turnaroundJob } from './turnaround.job.js'

export const ALL_JOBS: PipelineJob[] = [costRecoveryJob, returnRatesJob, reasonsJob, turnaroundJob, flowsJob, anomaliesJob, overdueTasksJob]
