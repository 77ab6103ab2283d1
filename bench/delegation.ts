import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startServer } from "./server.ts";

/**
 * A `vigie` command handed to the server that owns the embedded base (ADR 0008) against the same
 * command alone on that base (issue 8): wall time of the whole command as a person runs it
 * (`node bin/vigie.mjs …`), median of several runs. Goal: overhead < 300 ms.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const RUNS = 5;

export interface DelegationFigure {
  command: string;
  aloneMs: number;
  delegatedMs: number;
}

function vigie(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const res = spawnSync(process.execPath, [path.join(ROOT, "bin/vigie.mjs"), ...args], {
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`vigie ${args.join(" ")} : ${res.stderr}`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function benchDelegation(work: string): Promise<DelegationFigure[]> {
  const dataDir = path.join(work, "delegation-data");
  const file = path.join(work, "delegation-annuaire.csv");
  const env = {
    ...process.env,
    VIGIE_DATA_DIR: dataDir,
    DATABASE_URL: "",
    VIGIE_DEMO: "0",
    LOG_LEVEL: "warn",
  };
  vigie(["demo", "--scale", "tiny", "--no-values", "--json"], env);
  vigie(["demo", "--scale", "tiny", "--output", file], env);
  const commands = [
    ["user", "list", "--json"],
    ["roadmap", "list", "--json"],
    ["import", "annuaire", file, "--json"],
  ];
  const alone = commands.map((args) => median(Array.from({ length: RUNS }, () => vigie(args, env))));
  const server = (await startServer(env)).child;
  try {
    const delegated = commands.map((args) => median(Array.from({ length: RUNS }, () => vigie(args, env))));
    return commands.map((args, i) => ({
      command: `vigie ${args.join(" ").replace(file, "annuaire.csv")}`,
      aloneMs: Math.round(alone[i] ?? 0),
      delegatedMs: Math.round(delegated[i] ?? 0),
    }));
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function delegationTable(figures: DelegationFigure[]): string {
  const rows = figures.map(
    (f) =>
      `| \`${f.command}\` | ${f.aloneMs} ms | ${f.delegatedMs} ms | ${f.delegatedMs - f.aloneMs > 0 ? "+" : ""}${f.delegatedMs - f.aloneMs} ms |`,
  );
  return [
    `Base embarquée du territoire « tiny » ; durée totale de la commande (démarrage de Node.js compris), médiane de ${RUNS} exécutions. Objectif : surcoût < 300 ms.`,
    "",
    "| commande | seule sur la base | confiée au serveur | surcoût |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
}
