#!/usr/bin/env node
// Entry point of the `vigie` command: runs the TypeScript sources through tsx so that a checkout
// needs no build step before `npx vigie …` works.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
