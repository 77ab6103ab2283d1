import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Who gets the embedded base's one connection next (pglite-dialect.ts). A request of the web app
 * or the API is *foreground*; everything else (jobs, roll-ups, imports handed over by a command,
 * the driver's maintenance) is *background*. Served in arrival order within a lane, foreground
 * first; and once a foreground statement ends, background waits `GRACE_MS` for the same request's
 * next one. A page read is a few statements with a little JavaScript between them: without the
 * grace, a roll-up's next statement, always already waiting, would pass before each of them, and
 * a page of five statements would wait five times (1.2 to 2.4 s during a nation roll-up on
 * PGlite, docs/benchmarks.md). With it, the page waits for about the one statement that was
 * running when it came.
 *
 * Background is never starved: a background statement that has waited `MAX_DEFER_MS` goes next,
 * before any request. Under a steady stream of requests a roll-up then runs one statement per
 * `MAX_DEFER_MS` at worst; a first try with a 15 ms grace and no such bound let a client reading
 * a page every 10 ms hold a nation roll-up back for more than ten minutes.
 */

export const GRACE_MS = 4;
export const MAX_DEFER_MS = 40;

const foreground = new AsyncLocalStorage<true>();

/** Runs `fn` (an HTTP request's handling) in the foreground lane. */
export function runInForeground<T>(fn: () => T): T {
  return foreground.run(true, fn);
}

/** Runs `fn` (a job) in the background lane, whoever started it. */
export function runInBackground<T>(fn: () => T): T {
  return foreground.exit(fn);
}

export function inForeground(): boolean {
  return foreground.getStore() === true;
}

type Lane = "foreground" | "background";

interface Waiter {
  readonly since: number;
  readonly serve: () => void;
}

export class ConnectionTurns {
  private busy = false;
  private holder: Lane = "background";
  private readonly waiting: Record<Lane, Waiter[]> = { foreground: [], background: [] };
  /** When the last foreground turn ended (the clock of `now`). */
  private foregroundEndedAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly graceMs: number = GRACE_MS,
    private readonly maxDeferMs: number = MAX_DEFER_MS,
  ) {}

  /** Resolves when the caller holds the connection; `release` hands it on. */
  acquire(lane: Lane = inForeground() ? "foreground" : "background"): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting[lane].push({
        since: this.now(),
        serve: () => {
          this.busy = true;
          this.holder = lane;
          resolve();
        },
      });
      this.scheduleNext();
    });
  }

  release(): void {
    if (this.holder === "foreground") this.foregroundEndedAt = this.now();
    this.busy = false;
    this.scheduleNext();
  }

  /** Hands the free connection on, or sets a timer for when background may have it. */
  private scheduleNext(): void {
    if (this.busy) return;
    const background = this.waiting.background[0];
    const now = this.now();
    const overdue = background !== undefined && now - background.since >= this.maxDeferMs;
    const foreground = this.waiting.foreground[0];
    if (foreground && !overdue) {
      this.waiting.foreground.shift();
      foreground.serve();
      return;
    }
    if (!background) return;
    const graceLeft = this.foregroundEndedAt + this.graceMs - now;
    if (overdue || graceLeft <= 0) {
      this.waiting.background.shift();
      background.serve();
      return;
    }
    if (this.timer) return;
    const wait = Math.min(graceLeft, background.since + this.maxDeferMs - now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.scheduleNext();
    }, Math.ceil(wait));
  }
}
