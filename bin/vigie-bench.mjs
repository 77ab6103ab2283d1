#!/usr/bin/env node
// Entry point of `npm run bench` (through scripts/bench.sh, which starts PostgreSQL). With
// `--child-import <file>` it runs one measured import and nothing else, so that the process's
// peak memory is the import's own.
import { register } from "tsx/esm/api";

register();
if (process.argv[2] === "--child-import") {
  const { childImport } = await import("../bench/import-child.ts");
  await childImport(process.argv[3]);
} else {
  await import("../bench/run.ts");
}
