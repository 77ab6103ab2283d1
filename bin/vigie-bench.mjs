#!/usr/bin/env node
// Entry point of `npm run bench` (through scripts/bench.sh, which starts PostgreSQL). The measured
// imports run in processes of their own, compiled like the `vigie` command (bench/compiled-child.ts).
import { register } from "tsx/esm/api";

register();
await import("../bench/run.ts");
