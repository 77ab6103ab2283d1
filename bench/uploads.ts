import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startServer } from "./server.ts";

/**
 * Server memory during an Annuaire upload and its dry run (issue 9, point 3): for files of 20, 40
 * and 60 Mo built from the national file's rows (a larger file repeats them: its extra rows are
 * duplicates, as in the file of the issue), a fresh `vigie serve` on PGlite receives the file over
 * HTTP, streamed, and answers the dry-run report. Measured: the server's peak resident memory
 * (VmHWM, read from /proc: the peak of the whole process, embedded base included), the time of
 * the request, and the worst `/api/health` latency seen meanwhile (polled every 100 ms).
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const EMAIL = "bench-import@education.gouv.fr";
const PASSWORD = "Banc-Essai-Import-2026";
/** The server runs as `npm start` runs it (package.json): a young generation of 4 Mo. */
export const SERVER_NODE_OPTIONS = "--max-semi-space-size=4";

export interface UploadFigure {
  targetMb: number;
  bytes: number;
  rows: number;
  duplicates: number;
  ms: number;
  rssBeforeMb: number;
  peakRssMb: number;
  healthWorstMs: number;
  healthChecks: number;
}

/** A file of about `targetMb` Mo: the national file's header, then its rows again and again. */
export function buildUploadFile(nationalFile: string, targetMb: number, out: string): void {
  const text = fs.readFileSync(nationalFile, "utf8");
  const headerEnd = text.indexOf("\n") + 1;
  const header = text.slice(0, headerEnd);
  const rows = text.slice(headerEnd);
  const target = targetMb * 1e6;
  const fd = fs.openSync(out, "w");
  let written = fs.writeSync(fd, header);
  while (written < target) {
    const room = target - written;
    const part = room >= Buffer.byteLength(rows) ? rows : rows.slice(0, rows.lastIndexOf("\n", room) + 1);
    if (part === "") break;
    written += fs.writeSync(fd, part);
  }
  fs.closeSync(fd);
}

function peakRssMb(pid: number): { now: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { now: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}

/** The multipart body, streamed from the file (never whole in this process either). */
async function* multipartBody(file: string, boundary: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

async function measureOne(work: string, file: string, targetMb: number): Promise<UploadFigure> {
  const dataDir = path.join(work, `uploads-pglite-${targetMb}`);
  const env = { ...process.env, VIGIE_DATA_DIR: dataDir, DATABASE_URL: "", VIGIE_DEMO: "0" };
  const cli = (args: string[]) => {
    const res = spawnSync(process.execPath, [path.join(ROOT, "bin/vigie.mjs"), ...args], {
      env,
      encoding: "utf8",
    });
    if (res.status !== 0) throw new Error(`vigie ${args.join(" ")} : ${res.stderr}`);
  };
  cli(["migrate"]);
  cli([
    "user",
    "create",
    "--email",
    EMAIL,
    "--role",
    "national-admin",
    "--territory",
    "FR",
    "--password",
    PASSWORD,
  ]);
  const server = await startServer({
    VIGIE_DATA_DIR: dataDir,
    DATABASE_URL: "",
    VIGIE_UPLOAD_MAX_MB: "200",
    NODE_OPTIONS: SERVER_NODE_OPTIONS,
  });
  const pid = server.child.pid as number;
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    if (!login.ok) throw new Error(`connexion refusée : ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const before = peakRssMb(pid);

    let healthWorstMs = 0;
    let healthChecks = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const started = performance.now();
        await fetch(`${server.url}/api/health`).then((r) => r.arrayBuffer());
        healthWorstMs = Math.max(healthWorstMs, performance.now() - started);
        healthChecks++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const boundary = "vigiebenchboundary";
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/imports/annuaire`, {
      method: "POST",
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        cookie,
        "x-csrf-token": csrfToken,
      },
      body: ReadableStreamFrom(multipartBody(file, boundary)),
      duplex: "half",
    } as RequestInit);
    const answer = (await res.json()) as {
      report?: { read: number; duplicatesTotal: number };
      message?: string;
    };
    const ms = performance.now() - started;
    polling = false;
    await poll;
    if (!res.ok || !answer.report) throw new Error(`envoi refusé : ${res.status} ${answer.message}`);
    return {
      targetMb,
      bytes: fs.statSync(file).size,
      rows: answer.report.read,
      duplicates: answer.report.duplicatesTotal,
      ms: Math.round(ms),
      rssBeforeMb: before.now,
      peakRssMb: peakRssMb(pid).peak,
      healthWorstMs: Math.round(healthWorstMs),
      healthChecks,
    };
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
  }
}

function ReadableStreamFrom(source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async pull(controller) {
      const next = await source.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

export async function benchUploads(work: string, nationalFile: string): Promise<UploadFigure[]> {
  const figures: UploadFigure[] = [];
  for (const targetMb of [20, 40, 60]) {
    const file = path.join(work, `annuaire-${targetMb}mo.csv`);
    buildUploadFile(nationalFile, targetMb, file);
    console.error(`Envoi et simulation, ${targetMb} Mo, serveur PGlite…`);
    const figure = await measureOne(work, file, targetMb);
    console.error(JSON.stringify(figure));
    figures.push(figure);
  }
  return figures;
}

export function uploadsTable(figures: readonly UploadFigure[]): string {
  const rows = [
    "Serveur `vigie serve` sur PGlite neuf (base migrée, sans démonstration), lancé comme `npm start` (`NODE_OPTIONS=--max-semi-space-size=4`) ; fichier envoyé en flux par `fetch`, réponse = rapport de simulation. Mémoire : pic de mémoire résidente du processus serveur (VmHWM), base embarquée comprise.",
    "",
    "| fichier envoyé | lignes (dont doublons) | envoi + simulation | mémoire du serveur avant → pic | `/api/health` pire latence (contrôles) | objectif |",
    "|---|---|---|---|---|---|",
    ...figures.map(
      (f) =>
        `| ${(f.bytes / 1e6).toFixed(1)} Mo | ${f.rows} (${f.duplicates}) | ${(f.ms / 1000).toFixed(1)} s | ${f.rssBeforeMb} → **${f.peakRssMb} Mo** | ${f.healthWorstMs} ms (${f.healthChecks}) | ${f.targetMb === 60 ? "< 600 Mo à 60 Mo (avant : 4,79 Go)" : ""} |`,
    ),
  ];
  return rows.join("\n");
}
