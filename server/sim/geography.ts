// Where the simulated customers live: large Chinese cities weighted roughly by urban
// population (millions, rounded; National Bureau of Statistics orders of magnitude), so
// the east coast dominates as online retail does. A customer sits at a jittered point
// around the centre (±~15 km) so distances to nodes vary within a city.
import { hashSeed, mulberry32, uniform, WeightedIndex } from './random.js'

export interface City { name: string; lat: number; lon: number; weight: number }

export const CITIES: readonly City[] = [
  { name: 'Shanghai', lat: 31.23, lon: 121.47, weight: 24 },
  { name: 'Beijing', lat: 39.9, lon: 116.4, weight: 21 },
  { name: 'Shenzhen', lat: 22.54, lon: 114.06, weight: 17 },
  { name: 'Guangzhou', lat: 23.13, lon: 113.26, weight: 18 },
  { name: 'Chengdu', lat: 30.57, lon: 104.07, weight: 16 },
  { name: 'Chongqing', lat: 29.56, lon: 106.55, weight: 15 },
  { name: 'Hangzhou', lat: 30.27, lon: 120.15, weight: 12 },
  { name: 'Wuhan', lat: 30.59, lon: 114.3, weight: 12 },
  { name: "Xi'an", lat: 34.34, lon: 108.94, weight: 12 },
  { name: 'Tianjin', lat: 39.13, lon: 117.2, weight: 11 },
  { name: 'Suzhou', lat: 31.3, lon: 120.62, weight: 10 },
  { name: 'Nanjing', lat: 32.06, lon: 118.8, weight: 9 },
  { name: 'Zhengzhou', lat: 34.75, lon: 113.63, weight: 10 },
  { name: 'Changsha', lat: 28.23, lon: 112.94, weight: 8 },
  { name: 'Dongguan', lat: 23.02, lon: 113.75, weight: 8 },
  { name: 'Shenyang', lat: 41.8, lon: 123.43, weight: 7 },
  { name: 'Qingdao', lat: 36.07, lon: 120.38, weight: 7 },
  { name: 'Hefei', lat: 31.82, lon: 117.23, weight: 7 },
  { name: 'Foshan', lat: 23.02, lon: 113.12, weight: 7 },
  { name: 'Jinan', lat: 36.65, lon: 117.12, weight: 6 },
  { name: 'Kunming', lat: 25.04, lon: 102.71, weight: 6 },
  { name: 'Harbin', lat: 45.8, lon: 126.53, weight: 6 },
  { name: 'Xiamen', lat: 24.48, lon: 118.09, weight: 5 },
  { name: 'Fuzhou', lat: 26.07, lon: 119.3, weight: 5 },
  { name: 'Dalian', lat: 38.91, lon: 121.6, weight: 5 },
  { name: 'Nanning', lat: 22.82, lon: 108.32, weight: 5 },
  { name: 'Ningbo', lat: 29.87, lon: 121.55, weight: 5 },
  { name: 'Urumqi', lat: 43.83, lon: 87.62, weight: 3 },
  { name: 'Lanzhou', lat: 36.06, lon: 103.83, weight: 3 },
  { name: 'Guiyang', lat: 26.65, lon: 106.63, weight: 4 },
]

const cityIndex = new WeightedIndex(CITIES.map((c) => c.weight))

export interface CustomerProfile { id: string; lat: number; lon: number; region: string; trusted: boolean }

/**
 * A customer's home is a pure function of (world seed, customer number), so a repeat
 * customer orders and returns from the same place without the world remembering them.
 */
export function customerProfile(seed: number, run: string, customerNo: number): CustomerProfile {
  const rng = mulberry32(hashSeed(seed, 'customer', customerNo))
  const city = CITIES[cityIndex.draw(rng)]
  return {
    id: `C-${run}-${customerNo}`,
    lat: round4(city.lat + uniform(rng, -0.14, 0.14)),
    lon: round4(city.lon + uniform(rng, -0.16, 0.16)),
    region: city.name,
    // Most customers have a clean history; the navigator extends advance exchanges and
    // instant refunds only to trusted ones.
    trusted: rng() < 0.72,
  }
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4
}
