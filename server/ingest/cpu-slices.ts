// Long CPU loops of the ingest path (parsing, validation, routing, row building) give the
// event loop back every few milliseconds, so health checks, reads and other requests' I/O
// are not held behind one 10,000-event batch (CONVENTIONS 7). Yield points are also where
// a request whose client has gone away stops being worked on.
//
// Sliced work shares the loop's turns: one slice per turn in all, round-robin between the
// tasks waiting. Were each waiting task given its own slice every turn, a turn would last
// slices × tasks in flight, and a health check waits for two or three turns.

/** The client closed its connection before the work reached a point of no return. */
export class ClientGoneError extends Error {
  constructor() { super('the client closed the connection; the request was not processed') }
}

/**
 * Tasks waiting to resume, oldest first. One resumes per turn of the event loop (its check
 * phase): it runs its slice, and when it yields again it joins the back.
 */
const waitingForTurn: (() => void)[] = []
let turnScheduled = false

function resumeOne(): void {
  turnScheduled = false
  const next = waitingForTurn.shift()
  if (waitingForTurn.length > 0) scheduleTurn()
  next?.()
}

function scheduleTurn(): void {
  if (turnScheduled) return
  turnScheduled = true
  setImmediate(resumeOne)
}

/** Resolves in a later turn of the event loop, after the tasks that yielded before. */
export function nextSharedTurn(): Promise<void> {
  return new Promise((resolve) => {
    waitingForTurn.push(resolve)
    scheduleTurn()
  })
}

/** Tasks waiting for a turn now (diagnostics and tests). */
export function tasksWaitingForTurn(): number {
  return waitingForTurn.length
}

export class CpuSlicer {
  private sliceStarted = performance.now()

  /**
   * @param budgetMs longest run between yields (0: yield at every check)
   * @param signal aborted when the client has gone; checked at each yield while abortable
   */
  constructor(private readonly budgetMs: number, private readonly signal?: AbortSignal) {}

  /** Cleared once the write has started: from there on the request finishes whatever happens. */
  abortable = true

  /** True when this slice has used its budget: the caller should `await yieldNow()`. */
  due(): boolean {
    return performance.now() - this.sliceStarted >= this.budgetMs
  }

  /** Lets the event loop run (I/O, timers), then throws ClientGoneError if the client left. */
  async yieldNow(): Promise<void> {
    await nextSharedTurn()
    this.sliceStarted = performance.now()
    this.stopIfGone()
  }

  stopIfGone(): void {
    if (this.abortable && this.signal?.aborted) throw new ClientGoneError()
  }
}

/**
 * One task at a time, in arrival order. Routing goes through one lane so each request's
 * events are routed together, as before slicing: between its chunks other requests only
 * do I/O and validation, never navigator work, so the navigator's state changes in the
 * same request-by-request order the undo bookkeeping (routing/in-flight.ts) was built on.
 * The lane is also FIFO, so the oldest admitted request finishes first.
 */
export class SerialLane {
  private tail: Promise<unknown> = Promise.resolve()
  private queued = 0

  /** Tasks waiting for their turn (not counting the one running). */
  get waiting(): number { return Math.max(0, this.queued - 1) }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.queued++
    const result = this.tail.then(task)
    this.tail = result.then(() => undefined, () => undefined).finally(() => { this.queued-- })
    return result
  }

  /**
   * Takes a place in the lane now for a task given later: callers that reserve in turn
   * run in that turn, however long each takes to be ready. The place must be used (run)
   * or given up (release), or the lane stops behind it.
   */
  reserve(): LaneSlot {
    let give!: (task: () => Promise<unknown>) => void
    const given = new Promise<() => Promise<unknown>>((resolve) => { give = resolve })
    let taken = false
    const result = this.run(async () => (await given)())
    return {
      run: <T>(task: () => Promise<T>): Promise<T> => {
        if (taken) throw new Error('a lane slot runs one task')
        taken = true
        give(task)
        return result as Promise<T>
      },
      release: () => {
        if (taken) return
        taken = true
        give(async () => undefined)
      },
    }
  }
}

export interface LaneSlot {
  run<T>(task: () => Promise<T>): Promise<T>
  /** Gives the place up if run() was not called; a no-op after it was. */
  release(): void
}
