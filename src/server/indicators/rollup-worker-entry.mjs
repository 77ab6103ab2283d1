// Entry point of the roll-up's worker thread (rollup-thread.ts, ADR 0010): like bin/vigie.mjs, it
// runs the TypeScript sources through tsx, so that the thread needs no build step either.
import { register } from "tsx/esm/api";

register();
await import("./rollup-worker.ts");
