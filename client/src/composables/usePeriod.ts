// The period of the current view, read from and written to the URL query (date-range.ts).
import { computed } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { apiPeriod, DEFAULT_PRESET, periodFromQuery, withPeriod, type Period, type Preset } from '../date-range'

export function usePeriod(fallback: Preset = DEFAULT_PRESET) {
  const route = useRoute()
  const router = useRouter()
  const period = computed(() => periodFromQuery(route.query, fallback))
  /** from/to or window for the API; recomputed only when the period changes. */
  const apiQuery = computed(() => apiPeriod(period.value, new Date()))
  /** The period's own query (for links to another view over the same period). */
  const linkQuery = computed(() => withPeriod({}, period.value))
  function setPeriod(next: Period) {
    // A new period starts the list from its first page.
    const { page: _page, ...rest } = route.query
    void router.replace({ query: withPeriod(rest, next, fallback) })
  }
  return { period, apiQuery, linkQuery, setPeriod, fallback }
}
