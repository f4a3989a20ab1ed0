// The `tasks` live room: work lists reload the part that changed. Messages name what
// changed, not the whole list: a list's filter and order live in its query.
import type { DurableBatch } from '../ingest/ingest.js'
import type { LiveEntry } from '../live/feed.js'
import type { LiveHub } from '../live/hub.js'
import type { TaskView } from '../contracts/tasks.js'

export type TaskLiveMessage =
  | { kind: 'planned'; rmaId: string; decisionId: string; supersedes?: string; roles: string[] }
  | { kind: 'updated'; task: TaskView }

/** New plans (their tasks open, their predecessors' tasks cancelled), after the batch is durable. */
export function* planMessages(batch: DurableBatch): Generator<LiveEntry> {
  for (const { decision: d } of batch.decisions) {
    const message: TaskLiveMessage = {
      kind: 'planned', rmaId: d.rmaId, decisionId: d.decisionId,
      ...(d.supersedes ? { supersedes: d.supersedes } : {}), roles: [...new Set(d.tasks.map((t) => t.role))],
    }
    yield ['tasks', message]
  }
}

export function publishTaskChange(live: LiveHub, task: TaskView): void {
  const message: TaskLiveMessage = { kind: 'updated', task }
  live.publish('tasks', message)
}
