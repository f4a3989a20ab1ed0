// Labels for values that can belong to several enums (Sankey nodes mix reasons,
// resolutions and dispositions).
type Tx = (prefix: string, value: string) => string

const FLOW_PREFIXES = ['reason', 'resolution', 'disposition'] as const

/** "reason:defective" → the reason label; a bare "refund" → the first enum that knows it. */
export function flowNodeLabel(name: string, tx: Tx, known: (key: string) => boolean = () => true): string {
  const i = name.indexOf(':')
  if (i > 0) {
    const prefix = name.slice(0, i)
    const value = name.slice(i + 1)
    return tx(prefix === 'mode' ? 'mode' : prefix, value)
  }
  for (const p of FLOW_PREFIXES) if (known(`${p}.${name}`)) return tx(p, name)
  return tx('reason', name)
}
