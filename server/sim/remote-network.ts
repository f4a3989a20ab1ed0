// The network a CLI simulation runs on: the server's own nodes and catalog (from
// GET /api/v1/network?include=catalog) over a local network file that supplies what the
// API does not publish (category priors, transit speeds, handling times). A server on
// another network then still gets SKUs it knows and node ids it can resolve.
import { z } from 'zod'
import { CatalogItem } from '../contracts/events.js'
import { loadNetwork, NetworkNode, NodeKind, Capability, type Network, type NetworkFile } from '../navigator/network.js'

const RemoteNetwork = z.object({
  version: z.string().optional(),
  nodes: z.array(z.object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(200),
    kind: NodeKind,
    city: z.string().max(100).optional().nullable(),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    capabilities: z.array(Capability),
  })).min(1),
  catalog: z.array(CatalogItem).optional(),
})

export interface SimNetwork { network: Network; source: 'local' | 'server'; notes: string[] }

export function networkForSim(local: NetworkFile, remote: unknown): SimNetwork {
  const localResult = (notes: string[]): SimNetwork => {
    const r = loadNetwork(local)
    if (!r.ok) throw new Error(`local network invalid: ${r.errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ')}`)
    return { network: r.network, source: 'local', notes }
  }
  const parsed = RemoteNetwork.safeParse(remote)
  if (!parsed.success) return localResult(['the server published no usable network; using the local file'])
  const server = parsed.data
  const notes: string[] = []

  const localNodes = new Map(local.nodes.map((n) => [n.id, n]))
  const nodes: z.input<typeof NetworkNode>[] = server.nodes.map((n) => {
    const known = localNodes.get(n.id)
    const place = { kind: n.kind, lat: n.lat, lon: n.lon, capabilities: n.capabilities, ...(n.city ? { city: n.city } : {}) }
    // Unknown nodes get the schema's default times; the simulator only needs their place.
    return known ? { ...known, ...place } : { id: n.id, name: n.name, ...place, handling: { receive: 0, inspect: 0 } }
  })
  if (!nodes.some((n) => n.central)) {
    const first = nodes.find((n) => n.kind === 'warehouse') ?? nodes[0]
    first.central = true
    notes.push(`no central node in common with the local file; treating ${first.id} as central`)
  }
  nodes.forEach((n) => { if (n.central && n !== nodes.find((m) => m.central)) n.central = false })
  const nodeIds = new Set(nodes.map((n) => n.id))
  const vendors = local.vendors.filter((v) => nodeIds.has(v.nodeId))
  const vendorIds = new Set(vendors.map((v) => v.id))

  const categories = { ...local.categories }
  let catalog = local.catalog
  if (server.catalog && server.catalog.length > 0) {
    const fallback = local.categories[local.rules.unknownSkuCategory]
    catalog = server.catalog.map((item) => {
      if (!(item.category in categories)) {
        categories[item.category] = fallback
        notes.push(`category ${item.category} unknown locally: using ${local.rules.unknownSkuCategory}'s priors`)
      }
      if (item.vendorId && !vendorIds.has(item.vendorId)) {
        const { vendorId: _drop, ...rest } = item
        return rest
      }
      return item
    })
  } else {
    notes.push('the server published no catalog; using the local one')
  }
  const merged = loadNetwork({ ...local, nodes, vendors, categories, catalog })
  if (!merged.ok) {
    return localResult([`the server's network does not combine with the local file (${merged.errors[0]?.path}: ${merged.errors[0]?.message}); using the local file`])
  }
  if (server.version && server.version !== local.version) notes.push(`server network ${server.version}, local file ${local.version}`)
  return { network: merged.network, source: 'server', notes }
}
