// Whether a customer location can be served by any inbound mode of the network: within a
// mode's service radius (road km) of a node of one of its coverage kinds. The navigator
// makes an out-of-area return a "keep it"; the importer counts them up front instead.
import { roadKm } from '../navigator/geo.js'

export interface ServiceAreaSpec {
  roadFactor: number
  nodes: { kind: string; lat: number; lon: number }[]
  modes: { serviceRadiusKm: number; coverageKinds: string[] }[]
}

export interface ServiceArea {
  covers(lat: number, lon: number): boolean
}

export function serviceArea(spec: ServiceAreaSpec): ServiceArea {
  const cache = new Map<string, boolean>()
  return {
    covers(lat, lon) {
      // Exports repeat a handful of locations (defaults, postcode centroids): cache them.
      const key = `${lat},${lon}`
      const hit = cache.get(key)
      if (hit !== undefined) return hit
      const ok = spec.modes.some((m) => spec.nodes.some((n) =>
        m.coverageKinds.includes(n.kind) && roadKm(lat, lon, n.lat, n.lon, spec.roadFactor) <= m.serviceRadiusKm))
      if (cache.size < 100_000) cache.set(key, ok)
      return ok
    },
  }
}
