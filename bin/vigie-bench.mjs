#!/usr/bin/env node
// Entry point of `npm run bench` (through scripts/bench.sh, which starts PostgreSQL).
import { register } from "tsx/esm/api";

register();
await import("../bench/run.ts");
