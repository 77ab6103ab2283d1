// Builds the web app when dist/web is missing or older than its sources, so `npm start` stays
// quick on the second run and never serves a stale app.
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "dist/web/index.html");

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
}

const sources = ["src/web", "src/contracts", "index.html", "vite.config.ts", "package-lock.json"];
const sourceTime = Math.max(...sources.map((s) => newest(path.join(root, s))));
if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sourceTime) {
  console.error("Construction de l'application web…");
  execSync("npm run build:web", { cwd: root, stdio: "inherit" });
}
