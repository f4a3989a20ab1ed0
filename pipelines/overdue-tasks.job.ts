// Tasks past their due time that nobody finished: each is announced once in the
// 'alerts' room (the scheduler publishes what a run returns as new alerts), and
// remembered in task_overdue_alerts so a restart does not announce it again.
import type { TaskView } from '../server/contracts/tasks.js'
import { markOverdueAnnounced, unannouncedOverdueTasks } from '../server/store/tasks-repo.js'
import type { PipelineJob } from './job.js'

export interface OverdueTaskAlert {
  id: string
  kind: 'task_overdue'
  taskId: string
  rmaId: string
  role: TaskView['role']
  action: string
  nodeId: string | null
  dueAt: string
  status: TaskView['status']
  at: string
}

export const overdueTasksJob: PipelineJob = {
  name: 'overdue-tasks',
  schedule: '15 * * * * *',
  feedsKpis: false,
  async run({ client, asOf }) {
    const overdue = await unannouncedOverdueTasks(client, asOf)
    // Announced before they are remembered: a crash in between repeats an alert, never loses one.
    await markOverdueAnnounced(client, overdue.map((t) => t.taskId), asOf)
    const alerts: OverdueTaskAlert[] = overdue.map((t) => ({
      id: `overdue:${t.taskId}`, kind: 'task_overdue', taskId: t.taskId, rmaId: t.rmaId, role: t.role, action: t.action,
      nodeId: t.nodeId, dueAt: t.dueAt, status: t.status, at: asOf.toISOString(),
    }))
    return { rows: alerts.length, newAnomalies: alerts }
  },
}
