import { createHash, randomUUID } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import { rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Generated, type Kysely, sql, type Transaction } from "kysely";
import { AppError, conflict, invalid, notFound } from "../errors.ts";
import type { Database } from "../schema.ts";

/** The `upload` table (migration 0011): what is known of a file waiting on disk. */
export interface UploadTable {
  id: string;
  kind: string;
  file_name: string;
  sha256: string;
  size_bytes: string | number;
  owner_user_id: string | null;
  created_at: Generated<Date>;
  committed_at: Date | null;
  commit_job_id: string | null;
}

export interface Upload {
  id: string;
  /** What the file is for (`annuaire`, later `pix`, `valeurs`…). */
  kind: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  /** Who sent it (null: an upload adopted from an older version of Vigie). */
  ownerUserId: string | null;
  createdAt: Date;
  committedAt: Date | null;
  /** The job that applied it. */
  commitJobId: string | null;
}

export interface UploadStoreOptions {
  /** `config.dataDir`: files go to `<dataDir>/uploads`; ":memory:" gives a temporary folder. */
  dataDir: string;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Uncommitted uploads older than this are purged. */
  retentionDays: number;
}

type Db = Kysely<Database>;

/**
 * Files sent to Vigie, kept on disk between their dry run and their confirmation, for every
 * importer (docs/architecture.md, « Fichiers envoyés »): an upload streams to
 * `<dataDir>/uploads/<id>` with its SHA-256 computed on the way, its description goes to the
 * `upload` table, and the readers open the file in slices. Memory never holds a whole file.
 */
export class UploadStore {
  readonly dir: string;
  private readonly temporary: boolean;

  constructor(
    private readonly db: Db,
    private readonly options: UploadStoreOptions,
  ) {
    this.temporary = options.dataDir === ":memory:";
    this.dir = this.temporary
      ? fs.mkdtempSync(path.join(os.tmpdir(), "vigie-uploads-"))
      : path.join(options.dataDir, "uploads");
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** The file of an upload (read it in slices). */
  filePath(id: string): string {
    return path.join(this.dir, checkedId(id));
  }

  /** A file written beside the upload (its full report), removed with it. */
  sidePath(id: string, suffix: string): string {
    return path.join(this.dir, `${checkedId(id)}.${suffix}`);
  }

  /**
   * Streams `stream` to a new upload's file, then records it. Refused, with nothing left on disk
   * nor in the table: an empty file (400 `empty_file`), one over the size limit (413
   * `file_too_large`, as soon as the limit is passed), an interrupted sending (400 `upload_aborted`).
   * `truncated` tells whether the multipart parser cut the file at its own limit.
   */
  async receive(
    stream: Readable,
    meta: { kind: string; fileName: string; ownerUserId: string | null; truncated?: () => boolean },
  ): Promise<Upload> {
    const id = randomUUID();
    const partial = path.join(this.dir, `${id}.part`);
    const hash = createHash("sha256");
    let size = 0;
    const max = this.options.maxBytes;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > max) return done(tooLarge(max));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const out = fs.createWriteStream(partial, { flags: "wx", mode: 0o600 });
    try {
      await pipeline(stream, measure, out);
      if (meta.truncated?.()) throw tooLarge(max);
      if (size === 0) throw invalid("Le fichier envoyé est vide.", "empty_file");
    } catch (error) {
      // A sending refused early may fail the pipeline while the file is still being opened: it
      // would appear after the removal. Remove it once the stream is closed.
      if (!out.closed) await once(out, "close").catch(() => undefined);
      await rm(partial, { force: true });
      if (error instanceof AppError) throw error;
      if ((error as { code?: unknown }).code === "FST_REQ_FILE_TOO_LARGE") throw tooLarge(max);
      throw invalid("L'envoi du fichier a été interrompu avant la fin : renvoyez-le.", "upload_aborted");
    }
    await rename(partial, this.filePath(id));
    try {
      await this.db
        .insertInto("upload")
        .values({
          id,
          kind: meta.kind,
          file_name: meta.fileName,
          sha256: hash.digest("hex"),
          size_bytes: size,
          owner_user_id: meta.ownerUserId,
        })
        .execute();
    } catch (error) {
      await this.removeFiles(id);
      throw error;
    }
    return (await this.get(id)) as Upload;
  }

  /**
   * Records a file already in memory as an upload with a given id (an upload of an older
   * version of Vigie, whose bytes were kept in the database). Does nothing if the id is known.
   */
  async adopt(
    id: string,
    meta: { kind: string; fileName: string; createdAt: Date },
    bytes: Uint8Array,
  ): Promise<void> {
    if (await this.get(id)) return;
    await fs.promises.writeFile(this.filePath(id), bytes, { mode: 0o600 });
    await this.db
      .insertInto("upload")
      .values({
        id,
        kind: meta.kind,
        file_name: meta.fileName,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        size_bytes: bytes.length,
        owner_user_id: null,
        created_at: meta.createdAt,
      })
      .execute();
  }

  async get(id: string): Promise<Upload | null> {
    if (!isUploadId(id)) return null;
    const row = await this.db.selectFrom("upload").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toUpload(row) : null;
  }

  /**
   * The upload of `kind` that `userId` may act on: its owner's, or an adopted one (no owner).
   * Anybody else gets the same 404 as an unknown id: an upload's existence is not told.
   */
  async getOwned(id: string, kind: string, userId: string | null): Promise<Upload> {
    const upload = await this.get(id);
    if (!upload || upload.kind !== kind || (upload.ownerUserId !== null && upload.ownerUserId !== userId))
      throw notFound("Import introuvable : renvoyez le fichier.");
    return upload;
  }

  /**
   * Marks the upload applied by `jobId`, inside the transaction that applies it: true once, false
   * for every other attempt (another job got there first; its transaction must roll back). The
   * row lock taken here makes a concurrent claim wait for this transaction, then see it.
   */
  async claim(trx: Transaction<Database>, id: string, jobId: string): Promise<boolean> {
    const claimed = await trx
      .updateTable("upload")
      .set({ committed_at: sql<Date>`now()`, commit_job_id: jobId })
      .where("id", "=", id)
      .where("committed_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    return claimed !== undefined;
  }

  /** Deletes the file of an applied upload (its full report stays until the purge). */
  async removeFile(id: string): Promise<void> {
    await rm(this.filePath(id), { force: true });
  }

  /** Deletes an upload's files and row (a refused dry run, the purge). */
  async remove(id: string): Promise<void> {
    await this.db.deleteFrom("upload").where("id", "=", id).execute();
    await this.removeFiles(id);
  }

  /**
   * Deletes the uploads never committed whose retention period has passed (row and files), and
   * the files left of older committed ones (their full report; the import's own report stays in
   * the importer's batch). Returns the number of uncommitted uploads purged.
   */
  async purge(now: Date = new Date()): Promise<number> {
    const limit = new Date(now.getTime() - this.options.retentionDays * 86_400_000);
    const expired = await this.db
      .selectFrom("upload")
      .select("id")
      .where("committed_at", "is", null)
      .where("created_at", "<", limit)
      .execute();
    for (const { id } of expired) await this.remove(id);
    // Files of uploads within their period stay (a committed one keeps its report); older ones
    // and strays left by a crash in the middle of a sending go (a file being received now is
    // younger than a minute).
    const recent = new Set(
      (await this.db.selectFrom("upload").select("id").where("created_at", ">=", limit).execute()).map(
        (r) => r.id,
      ),
    );
    for (const name of await fs.promises.readdir(this.dir)) {
      if (recent.has(name.split(".")[0] ?? "")) continue;
      const stat = await fs.promises.stat(path.join(this.dir, name)).catch(() => null);
      if (stat && now.getTime() - stat.mtimeMs > 60_000) await rm(path.join(this.dir, name), { force: true });
    }
    return expired.length;
  }

  /**
   * Purges now, then every `everyMs` (default 6 hours), on a timer that does not keep the process
   * alive; `stop()` waits for a purge under way. Failures go to `onError`.
   */
  schedulePurge(
    onDone: (purged: number) => void,
    onError: (error: unknown) => void,
    everyMs = 6 * 3_600_000,
  ) {
    let running: Promise<void> = Promise.resolve();
    const run = () => {
      running = this.purge().then(onDone, onError);
    };
    run();
    const timer = setInterval(run, everyMs);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await running;
      },
    };
  }

  /** Removes the temporary folder of a store on ":memory:" (tests). */
  async close(): Promise<void> {
    if (this.temporary) await rm(this.dir, { recursive: true, force: true });
  }

  private async removeFiles(id: string): Promise<void> {
    const prefix = `${id}`;
    for (const name of await fs.promises.readdir(this.dir).catch(() => [] as string[]))
      if (name === prefix || name.startsWith(`${prefix}.`))
        await rm(path.join(this.dir, name), { force: true });
  }
}

/**
 * The start of a commit: `enqueue` starts the job that will apply the upload (with the upload's
 * id as its dedupe key, so that the runner refuses a second unfinished one). The loser of two
 * concurrent requests gets a 409: « déjà confirmé » once the upload is applied, « en cours »
 * while the winner's job is queued or running. `isDuplicate` recognises the runner's refusal;
 * `cancel` withdraws a job started after the upload was applied meanwhile. Returns the job id.
 */
export async function startUploadCommit(
  store: UploadStore,
  upload: Upload,
  steps: {
    enqueue(): Promise<string>;
    isDuplicate(error: unknown): boolean;
    cancel(jobId: string): Promise<unknown>;
  },
): Promise<string> {
  if (upload.committedAt) throw alreadyCommitted();
  let jobId: string;
  try {
    jobId = await steps.enqueue();
  } catch (error) {
    if (steps.isDuplicate(error)) throw inProgress();
    throw error;
  }
  // The winner's job may have ended between the check above and the enqueue: then this job is a
  // second one, withdrawn (and refused by `claim` if it ran meanwhile).
  const now = await store.get(upload.id);
  if (now?.committedAt && now.commitJobId !== jobId) {
    await steps.cancel(jobId);
    throw alreadyCommitted();
  }
  return jobId;
}

export function alreadyCommitted(): AppError {
  return conflict("Cet import a déjà été confirmé.", "already_committed");
}

function inProgress(): AppError {
  return conflict("Cet import est déjà en cours d'enregistrement.", "commit_in_progress");
}

function tooLarge(max: number): AppError {
  return new AppError(
    413,
    "file_too_large",
    `Le fichier dépasse la taille maximale acceptée (${Math.round(max / (1024 * 1024))} Mo).`,
  );
}

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isUploadId(id: string): boolean {
  return UPLOAD_ID.test(id);
}

/** Upload ids are UUIDs: nothing else ever becomes a path. */
function checkedId(id: string): string {
  if (!isUploadId(id)) throw notFound("Import introuvable : renvoyez le fichier.");
  return id;
}

function toUpload(row: {
  id: string;
  kind: string;
  file_name: string;
  sha256: string;
  size_bytes: string | number;
  owner_user_id: string | null;
  created_at: Date;
  committed_at: Date | null;
  commit_job_id: string | null;
}): Upload {
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.file_name,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    ownerUserId: row.owner_user_id,
    createdAt: new Date(row.created_at),
    committedAt: row.committed_at ? new Date(row.committed_at) : null,
    commitJobId: row.commit_job_id,
  };
}
