import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where Vigie's own files are, the same whether the server runs from its TypeScript sources
 * (through tsx, this file in src/server/platform) or from the compiled bundle (dist/server, ADR
 * 0011), whose single file sits at another depth: paths relative to a source file's place would
 * point elsewhere once bundled.
 */
const HERE = fileURLToPath(import.meta.url);

/** True when this code runs from the compiled bundle rather than from the TypeScript sources. */
export const RUNS_COMPILED = !HERE.endsWith(".ts");

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`package.json introuvable au-dessus de ${from}`);
  }
}

/** The repository's root: the nearest folder above this file that holds package.json. */
export const PROJECT_ROOT = findProjectRoot(path.dirname(HERE));

/** A path under the repository's root (data/templates, dist/web…). */
export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}

/**
 * A worker thread's entry: the compiled worker next to the bundle (this code is then part of the
 * bundle's own file), or, from the sources, the small `.mjs` entry that registers tsx before
 * loading the worker's TypeScript.
 */
export function workerEntry(compiledName: string, sourceEntry: URL): URL {
  return RUNS_COMPILED ? new URL(`./${compiledName}.mjs`, import.meta.url) : sourceEntry;
}
