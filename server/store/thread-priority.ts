// The embedded store runs inside this process, and its query, insert and merge threads
// compete with the event loop for the machine's cores. Under an ingest flood that starves
// the loop: health checks and small answers wait for a core, not for work. chDB's own
// threads (named by ClickHouse; Node's are all named "node") get a lower CPU priority, a
// higher nice value, which needs no privilege. The loop, which answers every request,
// then runs first when cores are short; the store still has every core the loop leaves idle.
// Linux only (threads are listed under /proc); elsewhere nothing is done.
import { readdirSync, readFileSync } from 'node:fs'
import { setPriority } from 'node:os'

/** The name Node's threads carry (the main thread, V8's workers, libuv's pool). */
const NODE_THREAD_NAME = 'node'
const TASKS = '/proc/self/task'

export interface ThreadPriorityKeeper {
  /** Threads given the lower priority so far (for tests and logs). */
  readonly lowered: ReadonlySet<number>
  /** Looks for new store threads now (also done on every tick). */
  sweep(): void
  stop(): void
}

/**
 * Gives every thread of this process that is not Node's a nice value of `nice`, now and
 * every `everyMs` (ClickHouse starts pool threads as it needs them). `nice` 0 does nothing.
 */
export function lowerStoreThreadPriority(nice: number, everyMs = 1_000): ThreadPriorityKeeper {
  const lowered = new Set<number>()
  const sweep = () => {
    if (nice <= 0) return
    let tids: string[]
    try { tids = readdirSync(TASKS) } catch { return }
    const alive = new Set<number>()
    for (const name of tids) {
      const tid = Number(name)
      alive.add(tid)
      if (tid === process.pid || lowered.has(tid)) continue
      try {
        if (readFileSync(`${TASKS}/${name}/comm`, 'utf8').trim() === NODE_THREAD_NAME) continue
        setPriority(tid, nice)
        lowered.add(tid)
      } catch {
        // The thread ended between the listing and the call: nothing to lower.
      }
    }
    // A thread id can be reused by a new thread: forget those that ended.
    for (const tid of lowered) if (!alive.has(tid)) lowered.delete(tid)
  }
  sweep()
  const timer = nice > 0 ? setInterval(sweep, everyMs) : null
  timer?.unref()
  return { lowered, sweep, stop: () => { if (timer) clearInterval(timer) } }
}
