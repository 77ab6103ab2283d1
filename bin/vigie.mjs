#!/usr/bin/env node
// Entry point of the `vigie` command. It runs the compiled server (dist/server, ADR 0011) when it
// is newer than every server source, and otherwise the TypeScript sources through tsx, so that a
// checkout needs no build step before `npx vigie …` works and never runs stale code.
import { pathToFileURL } from "node:url";
import { SERVER_BUNDLE, serverBundleIsFresh } from "../scripts/lib/server-bundle.mjs";

if (process.env.VIGIE_FROM_SOURCES !== "1" && serverBundleIsFresh()) {
  await import(pathToFileURL(SERVER_BUNDLE).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli.ts");
}
