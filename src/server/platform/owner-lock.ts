import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "./errors.ts";

/**
 * Vigie's own lock on an embedded (PGlite) data directory: one process at a time owns the base.
 * PGlite keeps its whole database in memory and writes it back to files; two processes on the
 * same files each have their own copy and silently corrupt each other (ADR 0008). PGlite's own
 * `postmaster.pid` holds a placeholder pid and is overwritten by any newcomer, so it cannot tell.
 *
 * The lock is a file `vigie.lock` in the data directory, created atomically (link of a complete
 * temporary file, which fails if the lock exists), readable only by its owner (it may hold the
 * secret of the owner's delegation endpoint). It names the owner's real pid and process start
 * time, so that a lock left by a killed process is recognised as stale and taken over.
 */

export interface OwnerEndpoint {
  host: string;
  port: number;
  token: string;
}

export interface OwnerInfo {
  pid: number;
  /** Start time of the process as the kernel counts it (/proc/<pid>/stat), to tell pid reuse apart. */
  processStart: string | null;
  hostname: string;
  /** What the owner is doing, for the person who meets the lock (« vigie serve », « vigie import … »). */
  command: string;
  lockedAt: string;
  /** Where a running server takes the work of other `vigie` commands (absent while it starts). */
  endpoint?: OwnerEndpoint;
}

export interface OwnerLock {
  readonly path: string;
  readonly info: OwnerInfo;
  /** Publishes the delegation endpoint in the lock file (atomic replace). */
  announce(endpoint: OwnerEndpoint): void;
  release(): void;
}

/** The base is owned by another live process. */
export class DatabaseLockedError extends AppError {
  constructor(
    readonly owner: OwnerInfo,
    readonly dataDir: string,
  ) {
    super(409, "database_locked", lockedMessage(owner, dataDir));
    this.name = "DatabaseLockedError";
  }
}

export const LOCK_FILE = "vigie.lock";

export function lockPath(dataDir: string): string {
  return path.join(dataDir, LOCK_FILE);
}

/** Takes the lock on `dataDir`, taking over a stale one; throws DatabaseLockedError if a live process holds it. */
export function acquireOwnerLock(dataDir: string, command: string): OwnerLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const info = ownInfo(command);
  // A stale lock is removed then the link retried; a few rounds cover two processes racing for it.
  for (let round = 0; round < 5; round++) {
    if (tryLink(file, info)) return heldLock(file, info);
    const current = readOwner(dataDir);
    if (current && isAlive(current)) throw new DatabaseLockedError(current, dataDir);
    removeStale(file, current);
  }
  const current = readOwner(dataDir);
  if (current) throw new DatabaseLockedError(current, dataDir);
  throw new Error(`Impossible de prendre le verrou de la base ${dataDir} (${file}).`);
}

/** The owner named by the lock file, or null when there is none (or it is unreadable: a half-written file). */
export function readOwner(dataDir: string): OwnerInfo | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as OwnerInfo;
    return typeof parsed.pid === "number" ? parsed : null;
  } catch {
    return null;
  }
}

/** The live owner of `dataDir`, or null when the base is free (no lock, or a stale one). */
export function liveOwner(dataDir: string): OwnerInfo | null {
  const owner = readOwner(dataDir);
  return owner && isAlive(owner) ? owner : null;
}

export function isAlive(owner: OwnerInfo): boolean {
  // Another machine's process (a shared folder) cannot be checked: assume it lives.
  if (owner.hostname !== os.hostname()) return true;
  if (!pidExists(owner.pid)) return false;
  const start = processStartTime(owner.pid);
  return owner.processStart === null || start === null || start === owner.processStart;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces); null off Linux. */
function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function ownInfo(command: string): OwnerInfo {
  return {
    pid: process.pid,
    processStart: processStartTime(process.pid),
    hostname: os.hostname(),
    command,
    lockedAt: new Date().toISOString(),
  };
}

function tempFile(file: string, info: OwnerInfo): string {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
  return tmp;
}

function tryLink(file: string, info: OwnerInfo): boolean {
  const tmp = tempFile(file, info);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Moves a stale lock aside, then checks that what was moved is the stale lock that was read: if a
 * third process took the lock in between, its fresh lock is put back.
 */
function removeStale(file: string, seen: OwnerInfo | null): void {
  const aside = `${file}.stale.${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  let moved: OwnerInfo | null = null;
  try {
    moved = JSON.parse(fs.readFileSync(aside, "utf8")) as OwnerInfo;
  } catch {
    moved = null;
  }
  const same = seen === null ? moved === null || !isAlive(moved) : moved !== null && sameOwner(moved, seen);
  if (!same) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // Someone holds the lock again: theirs stands.
    }
  }
  fs.rmSync(aside, { force: true });
}

function sameOwner(a: OwnerInfo, b: OwnerInfo): boolean {
  return a.pid === b.pid && a.processStart === b.processStart && a.lockedAt === b.lockedAt;
}

function heldLock(file: string, info: OwnerInfo): OwnerLock {
  let released = false;
  const current: OwnerInfo = { ...info };
  // A process that ends without closing the base (an uncaught error) still frees it.
  const onExit = () => releaseFile(file, current);
  process.once("exit", onExit);
  return {
    path: file,
    info: current,
    announce(endpoint) {
      current.endpoint = endpoint;
      const tmp = tempFile(file, current);
      fs.renameSync(tmp, file);
    },
    release() {
      if (released) return;
      released = true;
      process.removeListener("exit", onExit);
      releaseFile(file, current);
    },
  };
}

function releaseFile(file: string, info: OwnerInfo): void {
  try {
    const onDisk = JSON.parse(fs.readFileSync(file, "utf8")) as OwnerInfo;
    if (sameOwner(onDisk, info)) fs.rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}

function lockedMessage(owner: OwnerInfo, dataDir: string): string {
  const since = new Date(owner.lockedAt).toLocaleString("fr-FR", { timeZone: "Europe/Paris" });
  const who = `le processus ${owner.pid} (${owner.command}${owner.hostname !== os.hostname() ? ` sur ${owner.hostname}` : ""}, depuis le ${since})`;
  const what = owner.command.startsWith("vigie serve")
    ? owner.endpoint
      ? "Le serveur n'a pas pu prendre la commande en charge : réessayez, ou arrêtez le serveur (Ctrl+C) puis relancez la commande."
      : "Le serveur démarre : attendez qu'il soit prêt, puis relancez la commande (elle lui sera confiée)."
    : "Attendez la fin de cette commande, puis relancez la vôtre.";
  return `La base ${dataDir} est ouverte par ${who}. Une base embarquée ne s'ouvre que dans un processus à la fois ; rien n'a été écrit. ${what}`;
}
