import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  acquireOwnerLock,
  DatabaseLockedError,
  liveOwner,
  lockPath,
  type OwnerInfo,
  readOwner,
} from "./owner-lock.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-lock-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has ended (a pid nobody uses right after). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

function writeLock(dir: string, owner: Partial<OwnerInfo>): void {
  const info: OwnerInfo = {
    pid: process.pid,
    processStart: null,
    hostname: os.hostname(),
    command: "vigie import annuaire f.csv",
    lockedAt: new Date().toISOString(),
    ...owner,
  };
  fs.writeFileSync(lockPath(dir), JSON.stringify(info), { mode: 0o600 });
}

describe("the owner lock of an embedded data directory", () => {
  it("names its owner's real pid, is readable only by the owner, and is removed on release", () => {
    const dir = tempDir();
    const lock = acquireOwnerLock(dir, "vigie serve");
    const owner = readOwner(dir);
    expect(owner).toMatchObject({ pid: process.pid, command: "vigie serve", hostname: os.hostname() });
    expect(owner?.processStart).toMatch(/^\d+$/);
    expect(fs.statSync(lockPath(dir)).mode & 0o777).toBe(0o600);
    lock.release();
    expect(fs.existsSync(lockPath(dir))).toBe(false);
    expect(liveOwner(dir)).toBeNull();
  });

  it("refuses a second owner while the first lives, naming it in French", () => {
    const dir = tempDir();
    const lock = acquireOwnerLock(dir, "vigie serve");
    try {
      expect(() => acquireOwnerLock(dir, "vigie user list")).toThrow(DatabaseLockedError);
      expect(() => acquireOwnerLock(dir, "vigie user list")).toThrow(
        new RegExp(`ouverte par le processus ${process.pid} \\(vigie serve`),
      );
    } finally {
      lock.release();
    }
  });

  it("publishes the delegation endpoint without losing the owner", () => {
    const dir = tempDir();
    const lock = acquireOwnerLock(dir, "vigie serve");
    lock.announce({ host: "127.0.0.1", port: 4321, token: "secret" });
    expect(readOwner(dir)).toMatchObject({ pid: process.pid, endpoint: { port: 4321, token: "secret" } });
    expect(fs.statSync(lockPath(dir)).mode & 0o777).toBe(0o600);
    lock.release();
    expect(fs.existsSync(lockPath(dir))).toBe(false);
  });

  it("takes over a lock left by a process that no longer exists", () => {
    const dir = tempDir();
    writeLock(dir, { pid: deadPid() });
    expect(liveOwner(dir)).toBeNull();
    const lock = acquireOwnerLock(dir, "vigie rollup");
    expect(readOwner(dir)).toMatchObject({ pid: process.pid, command: "vigie rollup" });
    lock.release();
  });

  it("takes over a lock whose pid was reused by another process (start time differs)", () => {
    const dir = tempDir();
    writeLock(dir, { pid: process.pid, processStart: "1" });
    const lock = acquireOwnerLock(dir, "vigie rollup");
    expect(readOwner(dir)?.processStart).not.toBe("1");
    lock.release();
  });

  it("takes over an unreadable (half-written) lock file", () => {
    const dir = tempDir();
    fs.writeFileSync(lockPath(dir), "{");
    const lock = acquireOwnerLock(dir, "vigie rollup");
    expect(readOwner(dir)?.pid).toBe(process.pid);
    lock.release();
  });

  it("does not remove, on release, a lock that another owner has taken over meanwhile", () => {
    const dir = tempDir();
    const first = acquireOwnerLock(dir, "vigie serve");
    // As if this process had been judged dead and its lock taken over.
    writeLock(dir, { pid: process.pid, command: "vigie autre" });
    first.release();
    expect(readOwner(dir)?.command).toBe("vigie autre");
  });
});
