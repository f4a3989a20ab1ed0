// Who is signed in (role) and what the server says about itself (demo stream on?).
// Loaded once per key and shared by every view.
import { ref, watch } from 'vue'
import { api } from '../api'
import { apiKey } from '../auth'
import { currency } from '../i18n'

export type Role = 'ingest' | 'viewer' | 'operator' | 'admin'
export const role = ref<Role | null>(null)
export const demo = ref(false)

export const canEditWeights = () => role.value === 'operator' || role.value === 'admin'

async function refresh(): Promise<void> {
  if (!apiKey.value) { role.value = null; demo.value = false; return }
  const [me, network] = await Promise.allSettled([
    api<{ role?: Role }>('/api/v1/me'),
    api<{ demo?: boolean; currency?: string }>('/api/v1/network'),
  ])
  role.value = me.status === 'fulfilled' ? me.value?.role ?? null : null
  // An absent flag means no demo stream.
  demo.value = network.status === 'fulfilled' ? network.value?.demo === true : false
  // Money everywhere is in the network's currency.
  if (network.status === 'fulfilled' && typeof network.value?.currency === 'string') currency.value = network.value.currency
}

export function startSession(): void {
  watch(apiKey, () => void refresh(), { immediate: true })
}
