// The weights in force: loaded at start, changed only through change()/rollback(),
// each change a new audited version. Changes are serialised so two operators saving at
// once get two consecutive versions, not one lost update.
import type { ClickHouseClient } from '@clickhouse/client'
import { Policy, Weights, type WeightsChange, type WeightsVersion } from '../contracts/weights.js'
import { insertWeightsVersion, latestWeights, weightsVersion, type StoredWeightsVersion } from '../store/weights-repo.js'

export class UnknownVersionError extends Error {}

export function diffOf(before: WeightsVersion, after: Pick<WeightsVersion, 'weights' | 'policy'>): StoredWeightsVersion['diff'] {
  const diff: StoredWeightsVersion['diff'] = {}
  for (const [group, a, b] of [['weights', before.weights, after.weights], ['policy', before.policy, after.policy]] as const) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const from = (a as Record<string, unknown>)[key]
      const to = (b as Record<string, unknown>)[key]
      if (JSON.stringify(from) !== JSON.stringify(to)) diff[`${group}.${key}`] = { from, to }
    }
  }
  return diff
}

/** Applies a partial change to a version: the rest carries over. Pure. */
export function applyChange(current: WeightsVersion, change: WeightsChange): Pick<WeightsVersion, 'weights' | 'policy'> {
  return {
    weights: Weights.parse({ ...current.weights, ...change.weights }),
    policy: Policy.parse({ ...current.policy, ...change.policy }),
  }
}

export class WeightsService {
  private current!: StoredWeightsVersion
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly client: ClickHouseClient,
    private readonly defaults: { weights: Weights; policy: Policy },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async load(): Promise<StoredWeightsVersion> {
    const latest = await latestWeights(this.client)
    if (latest) {
      // Fill policy fields added after that version was stored from the defaults.
      this.current = { ...latest, policy: Policy.parse({ ...this.defaults.policy, ...latest.policy }) }
    } else {
      this.current = {
        version: 1, author: 'system', createdAt: this.now().toISOString(), comment: 'defaults (DECISION-MODEL.md)',
        weights: this.defaults.weights, policy: this.defaults.policy, diff: {},
      }
      await insertWeightsVersion(this.client, this.current)
    }
    return this.current
  }

  get inForce(): StoredWeightsVersion { return this.current }

  change(change: WeightsChange, author: string): Promise<StoredWeightsVersion> {
    return this.serialised(async () => {
      const next = applyChange(this.current, change)
      return this.save(next, author, change.comment)
    })
  }

  rollback(version: number, author: string): Promise<StoredWeightsVersion> {
    return this.serialised(async () => {
      const target = await weightsVersion(this.client, version)
      if (!target) throw new UnknownVersionError(`no weights version ${version}`)
      const policy = Policy.parse({ ...this.defaults.policy, ...target.policy })
      return this.save({ weights: target.weights, policy }, author, `rollback to version ${version}`)
    })
  }

  private async save(next: Pick<WeightsVersion, 'weights' | 'policy'>, author: string, comment?: string) {
    const version: StoredWeightsVersion = {
      version: this.current.version + 1, author, createdAt: this.now().toISOString(),
      ...(comment ? { comment } : {}), ...next, diff: diffOf(this.current, next),
    }
    await insertWeightsVersion(this.client, version)
    this.current = version // only after it is stored: a failed insert changes nothing
    return version
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }
}
