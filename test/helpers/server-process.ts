// Starts revnav as a child process (its own embedded store) for benchmarks and crash tests,
// so the load generator does not share the server's event loop.
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, readFileSync } from 'node:fs'

export const BENCH_KEYS = 'ingest:bench-ingest-key-01,viewer:bench-viewer-key-01,operator:bench-operator-key1,admin:bench-admin-key-0001'
export const BENCH_INGEST_KEY = 'bench-ingest-key-01'
export const BENCH_VIEWER_KEY = 'bench-viewer-key-01'
export const BENCH_ADMIN_KEY = 'bench-admin-key-0001'

export interface ServerProcess {
  proc: ChildProcess
  url: string
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  peakRssMb(): number
  stop(): Promise<void>
}

/** @param entry the script to run: the product (server/main.ts) or the ingest-only foundation */
export function startServerProcess(dataDir: string, env: Record<string, string> = {}, entry = 'server/main.ts'): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    // BENCH_SERVER_NODE_ARGS: V8/Node flags for the server only (e.g. --trace-gc, which
    // NODE_OPTIONS does not take).
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
    const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', API_KEYS: BENCH_KEYS, DEMO: '0', PIPELINES: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    // BENCH_SERVER_LOG=<file>: the server's output is appended there too (a bench's
    // diagnosis, e.g. with NODE_OPTIONS=--trace-gc).
    const logFile = process.env.BENCH_SERVER_LOG
    const keep = (d: Buffer) => { out += d; if (logFile) appendFileSync(logFile, d) }
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000)
    proc.stdout!.on('data', (d: Buffer) => {
      keep(d)
      const m = out.match(/Dashboard: (http:\/\/localhost:\d+)/)
      if (m) {
        clearTimeout(timer)
        resolve({
          proc, url: m[1].replace('localhost', '127.0.0.1'),
          output: () => out,
          peakRssMb: () => {
            // VmHWM is the peak resident set of the process so far.
            const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8')
            return Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1] ?? 0) / 1024
          },
          stop: () => new Promise((r) => { proc.once('exit', () => r()); proc.kill('SIGTERM') }),
        })
      }
    })
    proc.stderr!.on('data', (d: Buffer) => { keep(d) })
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out.slice(-2000)}`)))
  })
}
