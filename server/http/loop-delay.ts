// How late the event loop runs its callbacks, over the last window: the direct measure of
// whether /healthz (or anything) would be answered promptly right now.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

export interface LoopDelay {
  /** p99 of the event-loop delay in the last completed window, ms. */
  recentP99Ms(): number
  stop(): void
}

export function watchEventLoopDelay(windowMs = 500): LoopDelay {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  let recent = 0
  // Windows rather than the histogram since start: a stall a minute ago says nothing about now.
  const timer = setInterval(() => {
    recent = histogram.count > 0 ? histogram.percentile(99) / 1e6 : 0
    histogram.reset()
  }, windowMs)
  timer.unref()
  return {
    recentP99Ms: () => recent,
    stop: () => { clearInterval(timer); histogram.disable() },
  }
}
