// Great-circle distance. Road distance = haversine × road factor (~1.3 for China's
// road network, a common detour index; the network file sets it).
const EARTH_RADIUS_KM = 6371.0088
const RAD = Math.PI / 180

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD
  const dLon = (lon2 - lon1) * RAD
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)))
}

export function roadKm(lat1: number, lon1: number, lat2: number, lon2: number, roadFactor: number): number {
  return haversineKm(lat1, lon1, lat2, lon2) * roadFactor
}
