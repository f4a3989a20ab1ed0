// Imports run one way: no file imports itself back through others, and no folder of
// server/ (or pipelines/, or a folder of client/src/) reaches a folder that reaches it
// back. Read from the sources' own import statements, type-only imports included: a type
// that travels sideways is still a dependency a reader has to follow.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const TREES = ['server', 'pipelines', 'client/src']
const SOURCE = /\.(ts|vue)$/

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return listSources(path)
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g

/** The project file a relative specifier names (`./x.js` is `./x.ts` on disk). */
function resolveSpecifier(from: string, spec: string, files: Set<string>): string | undefined {
  const base = resolve(dirname(from), spec)
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]
  return candidates.find((c) => files.has(c))
}

function buildGraph(): Map<string, Set<string>> {
  const files = TREES.flatMap((t) => listSources(join(ROOT, t)))
  const known = new Set(files)
  const graph = new Map<string, Set<string>>()
  for (const file of files) {
    const edges = new Set<string>()
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolveSpecifier(file, m[1] ?? m[2], known)
      if (target && target !== file) edges.add(target)
    }
    graph.set(file, edges)
  }
  return graph
}

/** Strongly connected components with more than one member (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0
  const order = new Map<string, number>(), low = new Map<string, number>()
  const stack: string[] = [], onStack = new Set<string>(), found: string[][] = []
  const visit = (v: string) => {
    order.set(v, index); low.set(v, index); index++
    stack.push(v); onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)) }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!))
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = []
      let w: string
      do { w = stack.pop()!; onStack.delete(w); component.push(w) } while (w !== v)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!order.has(v)) visit(v)
  return found
}

/**
 * server/http/routes/x.ts → server/http; pipelines/x.ts → pipelines; client/src/views/X.vue
 * → client/src/views. A file directly under server/ or client/src/ (config at the bottom,
 * the composition root at the top) is a room of its own.
 */
function folderOf(file: string): string {
  const parts = relative(ROOT, file).split('/')
  if (parts[0] === 'client') return parts.slice(0, 3).join('/')
  if (parts[0] === 'server') return parts.slice(0, 2).join('/')
  return parts[0]
}

const graph = buildGraph()
const rel = (f: string) => relative(ROOT, f)

describe('the import graph', () => {
  it('reads the sources (a guard against a regex that matches nothing)', () => {
    const edges = [...graph.values()].reduce((n, s) => n + s.size, 0)
    expect(graph.size).toBeGreaterThan(100)
    expect(edges).toBeGreaterThan(200)
  })

  it('has no cycle between files', () => {
    expect(cycles(graph).map((c) => c.map(rel))).toEqual([])
  })

  it('has no cycle between folders', () => {
    const folders = new Map<string, Set<string>>()
    const why = new Map<string, string>()
    for (const [file, targets] of graph) {
      const from = folderOf(file)
      if (!folders.has(from)) folders.set(from, new Set())
      for (const target of targets) {
        const to = folderOf(target)
        if (to === from) continue
        folders.get(from)!.add(to)
        if (!why.has(`${from}>${to}`)) why.set(`${from}>${to}`, `${rel(file)} → ${rel(target)}`)
      }
    }
    const explained = cycles(folders).map((members) => members.flatMap((a) => members
      .filter((b) => folders.get(a)?.has(b)).map((b) => why.get(`${a}>${b}`)!)))
    expect(explained).toEqual([])
  })
})
