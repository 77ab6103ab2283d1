import path from "node:path";
// @ts-expect-error -- a plain .mjs build script, without type declarations.
import { buildServerBundle } from "../scripts/lib/server-bundle.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
let built: Promise<string> | undefined;

/**
 * The measured import compiled like the `vigie` command (ADR 0011), with the base's worker thread
 * beside it: its peak memory is that of the code people run, not of tsx compiling the sources.
 * Built once per bench run, inside the repository (the compiled code finds its root there).
 */
export function compiledImportChild(): Promise<string> {
  built ??= (async () => {
    const outdir = path.join(ROOT, ".vigie-test", "bench-compiled");
    await buildServerBundle(outdir, { "import-child": "bench/import-child-main.ts" });
    return path.join(outdir, "import-child.mjs");
  })();
  return built;
}
