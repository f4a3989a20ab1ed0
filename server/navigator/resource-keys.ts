// Names of the scarce resources (capacity.ts) and their keys: `kind|scope|slot`, scope a
// node or vendor id, slot a day, quota period, part id or SKU. Apart from capacity.ts so
// the state can key its bookings without importing the model that reads the state.
export const RESOURCE_KINDS = ['bench', 'inspection', 'outlet', 'parts', 'rtv', 'stock'] as const
export type ResourceKind = (typeof RESOURCE_KINDS)[number]
/** Resources booked per day (the others are stocks or per-period quotas). */
export const DAILY_KINDS: readonly ResourceKind[] = ['bench', 'inspection', 'outlet']

export function resourceKey(kind: ResourceKind, scope: string, slot: string | number): string {
  return `${kind}|${scope}|${slot}`
}
export function slotKey(kind: 'inspection' | 'outlet', nodeId: string, day: number): string {
  return resourceKey(kind, nodeId, day)
}
export function partKey(nodeId: string, partId: string): string {
  return resourceKey('parts', nodeId, partId)
}
/** Key of an operator's per-day limit for a node (or a vendor's quota). */
export function limitKey(kind: 'inspection' | 'outlet' | 'rtv', scope: string): string {
  return `${kind}|${scope}`
}
export function parseResourceKey(key: string): { kind: ResourceKind; scope: string; slot: string } {
  const a = key.indexOf('|')
  const b = key.indexOf('|', a + 1)
  return { kind: key.slice(0, a) as ResourceKind, scope: key.slice(a + 1, b), slot: key.slice(b + 1) }
}

