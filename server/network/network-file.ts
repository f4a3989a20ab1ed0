// Reads a network file and hands it to the navigator's pure loader: the navigator itself
// does no I/O.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { loadNetworkOrThrow, type Network } from '../navigator/network.js'

export async function readNetworkFile(path: string): Promise<Network> {
  const text = await readFile(path, 'utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`network file ${path} is not JSON: ${(err as Error).message}`)
  }
  return loadNetworkOrThrow(json)
}

/** The demo network that ships with the project (used when NETWORK_FILE is unset). */
export const DEMO_NETWORK_PATH = fileURLToPath(new URL('../sim/demo-network/network.json', import.meta.url))
