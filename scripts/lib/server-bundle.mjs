// The compiled server (ADR 0011): src/cli.ts and the two worker threads bundled by esbuild into
// dist/server, which Node.js loads in about a second and 50 MB less than the same sources through
// tsx. The bundle is used only while it is newer than every server source: a checkout that edits
// a file runs the sources again until the next build, so nobody ever runs stale code.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
export const SERVER_BUNDLE_DIR = path.join(root, "dist/server");
export const SERVER_BUNDLE = path.join(SERVER_BUNDLE_DIR, "cli.mjs");

const ENTRIES = {
  cli: "src/cli.ts",
  "pglite-worker": "src/server/platform/pglite-worker.ts",
  "rollup-worker": "src/server/indicators/rollup-worker.ts",
};
// What the bundle is made of; package-lock.json because the dependencies stay outside it.
const SOURCES = ["src/server", "src/contracts", "src/cli.ts", "package-lock.json"];

/** The newest modification time (ms) of a file or of anything under a folder; 0 when missing. */
export function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = stat.mtimeMs;
  for (const name of fs.readdirSync(p)) time = Math.max(time, newest(path.join(p, name)));
  return time;
}

function builtAt() {
  const times = Object.keys(ENTRIES).map((name) => {
    try {
      return fs.statSync(path.join(SERVER_BUNDLE_DIR, `${name}.mjs`)).mtimeMs;
    } catch {
      return 0;
    }
  });
  return Math.min(...times);
}

/** True when dist/server holds every compiled file and each is newer than all the sources. */
export function serverBundleIsFresh() {
  const built = builtAt();
  return built > 0 && built >= Math.max(...SOURCES.map((s) => newest(path.join(root, s))));
}

/**
 * Compiles the server into dist/server (about a second), or into `outdir` (a test's own copy; it
 * must be inside the repository, whose package.json the compiled code looks for), with other
 * entries if asked (the bench's measured import).
 */
export async function buildServerBundle(outdir = SERVER_BUNDLE_DIR, extraEntries = {}) {
  const { build } = await import("esbuild");
  await build({
    entryPoints: { ...ENTRIES, ...extraEntries },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    // The npm dependencies are loaded from node_modules as they are (PGlite's WebAssembly, argon2's
    // native module…); only Vigie's own TypeScript is compiled.
    packages: "external",
    logLevel: "warning",
  });
}
