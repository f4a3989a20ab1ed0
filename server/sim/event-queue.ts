// A min-heap of scheduled items by (time, insertion order): equal times come out in the
// order they were scheduled, which keeps a seeded run reproducible.

interface Entry<T> { t: number; seq: number; value: T }

export class EventQueue<T> {
  private readonly heap: Entry<T>[] = []
  private seq = 0

  get size(): number {
    return this.heap.length
  }

  push(t: number, value: T): void {
    const heap = this.heap
    heap.push({ t, seq: this.seq++, value })
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(heap[i], heap[parent])) break
      ;[heap[i], heap[parent]] = [heap[parent], heap[i]]
      i = parent
    }
  }

  /** Move every item to a new time; ties keep their scheduling order. */
  retime(newTime: (t: number, value: T) => number): void {
    for (const e of this.heap) e.t = newTime(e.t, e.value)
    // A sorted array is a valid heap.
    this.heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
  }

  peekTime(): number {
    return this.heap.length ? this.heap[0].t : Infinity
  }

  pop(): { t: number; value: T } | undefined {
    const heap = this.heap
    if (heap.length === 0) return undefined
    const top = heap[0]
    const last = heap.pop()!
    if (heap.length > 0) {
      heap[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1, r = l + 1
        let m = i
        if (l < heap.length && before(heap[l], heap[m])) m = l
        if (r < heap.length && before(heap[r], heap[m])) m = r
        if (m === i) break
        ;[heap[i], heap[m]] = [heap[m], heap[i]]
        i = m
      }
    }
    return { t: top.t, value: top.value }
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq)
}
