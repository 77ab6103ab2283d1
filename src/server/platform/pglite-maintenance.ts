/**
 * What autovacuum would do on the embedded base, which runs no background worker (the PGlite
 * driver runs the chores this decides, once its connection is free: pglite-dialect.ts). Pure, so
 * that its rules are tested without a base.
 *
 * - Statistics: a table is analysed when it has none (`reltuples < 0`: a 60 000-school search
 *   taken for a few dozen rows) or when its changes pass autovacuum's rule, 50 rows + 10 %.
 * - Dead rows: a table is vacuumed (and analysed with it) past 50 rows + 20 % of dead ones.
 *   Without it, every roll-up's rewrite of its aggregates would stay in the files for good, and
 *   each later analysis would read the bloat (150 MB for 20 MB of rows after a few roll-ups).
 * - Cost: a chore holds the base, whose users wait behind it. A table whose last chore took more
 *   than `COSTLY_MS` waits `NAPTIME_MS` (autovacuum's naptime) before the next one, so that a
 *   nation roll-up, which passes the 10 % rule every second, is not analysed twenty times (issue
 *   9, point 5: page reads during a roll-up). Tables without statistics never wait.
 */

export const COSTLY_MS = 50;
export const NAPTIME_MS = 60_000;

export interface TableActivity {
  readonly name: string;
  /** `pg_class.reltuples`: -1 before the first analysis. */
  readonly rows: number;
  readonly modifiedSinceAnalyze: number;
  readonly deadRows: number;
}

export interface LastChore {
  /** When it ended (ms, the driver's clock). */
  readonly endedAt: number;
  readonly ms: number;
}

export interface Chore {
  readonly table: string;
  readonly kind: "analyze" | "vacuum";
}

export interface ChorePlan {
  readonly chores: readonly Chore[];
  /** Some table needs a chore but must wait: look again in this many ms. */
  readonly retryInMs: number | null;
}

function needed(t: TableActivity): Chore["kind"] | null {
  const rows = Math.max(t.rows, 0);
  if (t.deadRows > 50 + 0.2 * rows) return "vacuum";
  if (t.rows < 0 || t.modifiedSinceAnalyze > 50 + 0.1 * rows) return "analyze";
  return null;
}

/** How long the table must still wait (0: now). */
function waitFor(t: TableActivity, last: LastChore | undefined, now: number): number {
  if (t.rows < 0 || !last || last.ms <= COSTLY_MS) return 0;
  return Math.max(0, last.endedAt + NAPTIME_MS - now);
}

export function planChores(
  tables: readonly TableActivity[],
  last: ReadonlyMap<string, LastChore>,
  now: number,
): ChorePlan {
  const chores: Chore[] = [];
  let retryInMs: number | null = null;
  for (const t of tables) {
    const kind = needed(t);
    if (kind === null) continue;
    const wait = waitFor(t, last.get(t.name), now);
    if (wait === 0) chores.push({ table: t.name, kind });
    else retryInMs = retryInMs === null ? wait : Math.min(retryInMs, wait);
  }
  return { chores, retryInMs };
}

/** The statement of a chore (vacuum analyses too: its statistics are then fresh as well). */
export function choreStatement(chore: Chore): string {
  const table = `"${chore.table.replace(/"/g, '""')}"`;
  return chore.kind === "vacuum" ? `vacuum (analyze) ${table}` : `analyze ${table}`;
}

/** The counters `planChores` reads, for the tables of the application's schema. */
export const TABLE_ACTIVITY = `
  select s.relname as name, c.reltuples::float8 as rows,
         s.n_mod_since_analyze::float8 as "modifiedSinceAnalyze", s.n_dead_tup::float8 as "deadRows"
  from pg_stat_user_tables s join pg_class c on c.oid = s.relid
  where s.schemaname = 'public'`;
