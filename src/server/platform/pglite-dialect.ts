import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { ConnectionTurns } from "./connection-turns.ts";
import {
  choreStatement,
  type LastChore,
  planChores,
  TABLE_ACTIVITY,
  type TableActivity,
} from "./pglite-maintenance.ts";

/** What a statement returns, in the server's thread or from the base's own (pglite-thread.ts). */
export interface SessionResult {
  rows: unknown[];
  affectedRows?: number;
}

/**
 * The embedded base as the driver uses it: a PGlite in this thread, or `PGliteThread`, which runs
 * PGlite in a worker thread and answers by messages (ADR 0009).
 */
export interface PGliteSession {
  readonly waitReady: Promise<void>;
  readonly closed: boolean;
  query(sql: string, params: unknown[]): Promise<SessionResult>;
  exec(sql: string): Promise<SessionResult[]>;
  close(): Promise<void>;
}

export interface PGliteDialectOptions {
  /**
   * PGlite runs in this thread: its promises are already settled when a statement returns, so
   * the driver yields to the event loop after each one (true by default; false for `PGliteThread`,
   * whose answers arrive as messages).
   */
  yieldAfterStatement?: boolean;
}

/**
 * Kysely dialect for PGlite. PGlite is one in-process connection, so the driver hands that single
 * connection to one user at a time: a transaction (an import, say) is never interleaved with
 * queries from concurrent HTTP requests, which simply wait for the lock.
 */
export class PGliteDialect implements Dialect {
  constructor(
    private readonly pglite: PGliteSession,
    private readonly options: PGliteDialectOptions = {},
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this.options.yieldAfterStatement ?? true);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

/**
 * A PostgreSQL server keeps its tables analysed and vacuumed by itself (autovacuum); PGlite runs
 * no background worker, so the driver does that job (pglite-maintenance.ts decides what): after
 * writes, once the connection is free, one statement per table so that other users get the
 * connection in between.
 */
const MAINTENANCE_CHECK_AFTER_ROWS = 500;
const MAINTENANCE_CHECK_DELAY_MS = 1000;

class PGliteDriver implements Driver {
  /** The one connection's turns: requests of the web app first (connection-turns.ts). */
  private readonly turns = new ConnectionTurns();
  private readonly connection: PGliteConnection;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private maintaining: Promise<void> | undefined;
  /** Each table's last chore, for the naptime of costly ones. */
  private readonly lastChores = new Map<string, LastChore>();
  private destroyed = false;

  constructor(
    private readonly pglite: PGliteSession,
    yieldAfterStatement: boolean,
  ) {
    this.connection = new PGliteConnection(pglite, yieldAfterStatement);
  }

  async init() {
    await this.pglite.waitReady;
    // A base opened for the first time (or written by a version without this) has no statistics.
    this.scheduleMaintenance();
  }

  async acquireConnection(lane?: "background"): Promise<DatabaseConnection> {
    await this.turns.acquire(lane);
    let released = false;
    this.connection.release = () => {
      // Kysely releases once; the guard keeps a second call from handing the connection twice.
      if (released) return;
      released = true;
      this.turns.release();
    };
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : "";
    await connection.executeQuery({ sql: `begin${isolation}`, parameters: [] } as unknown as CompiledQuery);
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery({ sql: "commit", parameters: [] } as unknown as CompiledQuery);
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery({ sql: "rollback", parameters: [] } as unknown as CompiledQuery);
  }
  async releaseConnection(connection: DatabaseConnection) {
    const released = connection as PGliteConnection;
    released.release?.();
    if (released.rowsWritten >= MAINTENANCE_CHECK_AFTER_ROWS) this.scheduleMaintenance();
  }
  async destroy() {
    this.destroyed = true;
    clearTimeout(this.maintenanceTimer);
    await this.maintaining;
    // Waits for whoever holds the connection; later callers find the base closed.
    await this.turns.acquire("foreground");
    this.turns.release();
    if (!this.pglite.closed) await this.pglite.close();
  }

  private scheduleMaintenance(delayMs = MAINTENANCE_CHECK_DELAY_MS) {
    if (this.maintenanceTimer || this.destroyed) return;
    this.maintenanceTimer = setTimeout(() => {
      this.maintenanceTimer = undefined;
      if (this.maintaining) return this.scheduleMaintenance();
      this.maintaining = this.maintainChangedTables()
        .catch(() => undefined) // maintenance is an optimisation: a failure must not stop the app
        .finally(() => {
          this.maintaining = undefined;
        });
    }, delayMs);
    // Maintenance never keeps a process alive: a command ends when its work does.
    this.maintenanceTimer.unref();
  }

  private async maintainChangedTables() {
    this.connection.rowsWritten = 0;
    // PostgreSQL publishes a backend's table counters at most once a second; without this, writes
    // made within a second of the last publication are not yet seen and their table is skipped.
    await this.run("select pg_stat_force_next_flush()");
    const tables = await this.run<TableActivity>(TABLE_ACTIVITY);
    const plan = planChores(tables, this.lastChores, performance.now());
    for (const chore of plan.chores) {
      if (this.destroyed) return;
      const started = performance.now();
      await this.run(choreStatement(chore));
      const endedAt = performance.now();
      this.lastChores.set(chore.table, { endedAt, ms: endedAt - started });
    }
    // A costly table deferred by its naptime: looked at again when it ends, writes or not.
    if (plan.retryInMs !== null) this.scheduleMaintenance(plan.retryInMs);
  }

  /** One statement on the connection, in the background lane (after any request of the web app). */
  private async run<R>(statement: string): Promise<R[]> {
    const connection = await this.acquireConnection("background");
    try {
      if (this.destroyed) return [];
      const result = await connection.executeQuery<R>({
        sql: statement,
        parameters: [],
      } as unknown as CompiledQuery);
      return result.rows;
    } finally {
      (connection as PGliteConnection).release?.();
    }
  }
}

/** Statements that may write: their affected rows count toward the next statistics check. */
const WRITE = /^\s*(insert|update|delete|merge|copy|with)\b/i;

class PGliteConnection implements DatabaseConnection {
  release: (() => void) | undefined;
  /** Rows written since the driver last checked the statistics. */
  rowsWritten = 0;
  constructor(
    private readonly pglite: PGliteSession,
    private readonly yieldAfterStatement: boolean,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters, use the simple protocol: it accepts several statements (migrations).
    const result =
      query.parameters.length === 0
        ? ((await this.pglite.exec(query.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.pglite.query(query.sql, query.parameters as unknown[]);
    const affected = result.affectedRows;
    if (affected && WRITE.test(query.sql)) this.rowsWritten += affected;
    // PGlite runs in this thread and answers through promises that are already settled: a long
    // series of statements (the demo, an import, a roll-up) would never let timers and sockets
    // in. One turn of the event loop after each statement keeps the server answering between them.
    if (this.yieldAfterStatement) await new Promise<void>((resolve) => setImmediate(resolve));
    return {
      rows: result.rows as R[],
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: PGlite has no cursors; Kysely only calls this for .stream()
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("Le flux de requêtes n'est pas disponible avec PGlite");
  }
}
