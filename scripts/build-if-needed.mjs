// Builds what `npm start` serves when it is missing or older than its sources: the web app
// (dist/web) and the compiled server (dist/server, ADR 0011). The second run stays quick, and
// neither is ever served stale.
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildServerBundle, newest, serverBundleIsFresh } from "./lib/server-bundle.mjs";

const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "dist/web/index.html");

const sources = ["src/web", "src/contracts", "index.html", "vite.config.ts", "package-lock.json"];
const sourceTime = Math.max(...sources.map((s) => newest(path.join(root, s))));
if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sourceTime) {
  console.error("Construction de l'application web…");
  execSync("npm run build:web", { cwd: root, stdio: "inherit" });
}
if (!serverBundleIsFresh()) {
  console.error("Compilation du serveur…");
  await buildServerBundle();
}
