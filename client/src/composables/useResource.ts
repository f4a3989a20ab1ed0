// Loading / error / data for one request, re-run when its inputs change. Stale answers
// (an older request finishing after a newer one) are dropped, and the in-flight request
// is aborted on change and on unmount.
import { onBeforeUnmount, shallowRef, ref, watch, type WatchSource } from 'vue'
import { ApiError } from '../api'

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, sources: WatchSource[] = []) {
  const data = shallowRef<T | null>(null)
  const error = ref<string | null>(null)
  const status = ref<number | null>(null)
  const loading = ref(false)
  let controller: AbortController | null = null
  let generation = 0

  async function reload(opts: { quiet?: boolean } = {}): Promise<void> {
    controller?.abort()
    const mine = ++generation
    const c = (controller = new AbortController())
    // A quiet reload (live refresh) keeps the old data on screen instead of flashing a spinner.
    if (!opts.quiet) loading.value = true
    try {
      const result = await load(c.signal)
      if (mine !== generation) return
      data.value = result
      error.value = null
      status.value = null
    } catch (err) {
      if (mine !== generation || (err as Error).name === 'AbortError') return
      error.value = (err as Error).message || String(err)
      status.value = err instanceof ApiError ? err.status : null
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  if (sources.length) watch(sources, () => void reload(), { immediate: true })
  else void reload()
  onBeforeUnmount(() => { generation++; controller?.abort() })
  return { data, error, status, loading, reload }
}
