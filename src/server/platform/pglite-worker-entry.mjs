// Entry point of the embedded base's worker thread (pglite-thread.ts): like bin/vigie.mjs, it runs
// the TypeScript sources through tsx, so that the thread needs no build step either.
import { register } from "tsx/esm/api";

register();
await import("./pglite-worker.ts");
