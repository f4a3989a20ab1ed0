#!/usr/bin/env node
// Development: the API server (tsx watch) and the Vite dev server together. Vite proxies
// /api, /socket.io and /healthz to the server, so open the Vite URL. Ctrl-C stops both.
import { spawn } from 'node:child_process'

const children = []
let stopping = false

function run(name, cmd, args, env = {}) {
  const child = spawn(cmd, args, { stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  const prefix = (line) => `[${name}] ${line}`
  for (const stream of [child.stdout, child.stderr]) {
    let buf = ''
    stream.on('data', (chunk) => {
      buf += chunk
      const lines = buf.split('\n')
      buf = lines.pop() ?? ''
      for (const l of lines) (stream === child.stderr ? process.stderr : process.stdout).write(prefix(l) + '\n')
    })
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(prefix(`exited (${signal ?? code}); stopping the rest`))
      stop(code ?? 1)
    }
  })
  children.push(child)
  return child
}

function stop(code = 0) {
  if (stopping) return
  stopping = true
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
  // Give children a moment to drain (the server flushes its writer on SIGTERM).
  const timer = setTimeout(() => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); process.exit(code) }, 8000)
  timer.unref()
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code))
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(0))

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname
run('server', bin('tsx'), ['watch', 'server/main.ts'])
run('vite', bin('vite'), [])
