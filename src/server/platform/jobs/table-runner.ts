import { BaseRunner } from "./base-runner.ts";
import { executeJob } from "./execute.ts";
import { type AnyKysely, claimJob, recoverAbandoned } from "./store.ts";
import type { EnqueueOptions, Json, RunnerTiming } from "./types.ts";

/**
 * The table-backed runner: workers poll the `job` table (`for update skip locked`) for due jobs.
 * On PGlite the process owning the data directory is the only one running jobs, so at start every
 * job still « running » was left by a dead process (`exclusiveOwner`); elsewhere only those whose
 * heartbeat is older than the lease are.
 */
export class TableJobRunner extends BaseRunner {
  readonly engine = "table" as const;
  private readonly exclusiveOwner: boolean;
  private readonly wakers = new Set<() => void>();
  private loops: Promise<void>[] = [];
  private accepting = false;

  constructor(db: AnyKysely, options: RunnerTiming & { exclusiveOwner?: boolean } = {}) {
    super(db, options);
    this.exclusiveOwner = options.exclusiveOwner ?? false;
  }

  async enqueue(type: string, payload: Json | object, options: EnqueueOptions = {}): Promise<string> {
    const row = await this.insert(type, payload, options);
    this.wakeAll();
    return String(row.id);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.accepting = true;
    this.stopping = new AbortController();
    await recoverAbandoned(this.db, this.workerId, this.exclusiveOwner ? 0 : this.timing.leaseMs);
    for (const [lane, types] of this.lanes()) {
      // The main lane has the configured concurrency; the others (mails) one worker each.
      const workers = lane === "main" ? this.timing.concurrency : 1;
      for (let i = 0; i < workers; i++) this.loops.push(this.loop(types));
    }
  }

  private lanes(): Map<string, string[]> {
    const lanes = new Map<string, string[]>([["main", []]]);
    for (const [type, registered] of this.handlers) {
      const lane = registered.options.lane;
      lanes.set(lane, [...(lanes.get(lane) ?? []), type]);
    }
    return lanes;
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  private async loop(types: string[]): Promise<void> {
    let lastSweep = Date.now();
    while (this.accepting) {
      if (!this.exclusiveOwner && Date.now() - lastSweep > this.timing.leaseMs / 2) {
        lastSweep = Date.now();
        await recoverAbandoned(this.db, this.workerId, this.timing.leaseMs).catch(() => undefined);
      }
      const row =
        types.length > 0
          ? await claimJob(this.db, this.workerId, { types }).catch(() => undefined)
          : undefined;
      if (row) {
        const registered = this.registered(row.type);
        await executeJob(
          this.db,
          row,
          registered,
          this.workerId,
          this.timing,
          this.live,
          this.stopping.signal,
        );
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wakers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, this.timing.pollMs);
        this.wakers.add(done);
      });
    }
  }

  /** Stops claiming; running jobs get `timeoutMs` to end, then their signal aborts (re-queued). */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.started) return;
    this.accepting = false;
    this.wakeAll();
    const all = Promise.all(this.loops);
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      all.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), options.timeoutMs ?? 10_000);
      }),
    ]);
    clearTimeout(timer);
    if (!finished) {
      this.stopping.abort();
      await all;
    }
    this.loops = [];
    this.started = false;
  }
}
