import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { generateDemoSchools } from "../src/server/territories/demo/generate.ts";

/**
 * `vigie import valeurs` on a 63 MB file (issue 9, point 6: it took 2.7 GB RSS and printed
 * 331 MB of JSON): the dry run of the real CLI on PGlite, measured by GNU time in its own
 * process, with its JSON report's size. The file has 1.5 million lines for the schools of the
 * académie-scale demo territory (12 elements × 52 periods), one line in 10 bad (extra cells,
 * « 1.234 » for a count, an unknown element, a 2 000-character cell) and 1 % duplicates, so the
 * report has far more than 1 000 rejections.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const ELEMENTS = [
  "computers",
  "interactive_boards",
  "ent_connections",
  "pupils_enrolled",
  "teachers_in_post",
  "pupils_in_pix_campaign",
  "pupils_pix_certified",
  "pupils_pix_eligible",
  "pupils_pix_scored",
  "ent_accounts",
  "nsi_pupils",
  "etwinning_projects",
];
/** Four school years and their months: enough distinct lines for 63 MB. */
const PERIODS = [2021, 2022, 2023, 2024].flatMap((y) => [
  `${y}-${y + 1}`,
  ...["09", "10", "11", "12"].map((m) => `${y}-${m}`),
  ...["01", "02", "03", "04", "05", "06", "07", "08"].map((m) => `${y + 1}-${m}`),
]);
const TARGET_BYTES = 63e6;

export interface ValuesImportFigures {
  readonly fileMb: number;
  readonly lines: number;
  readonly schools: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  /** The same command on a header-only file: Node.js, the CLI and the open PGlite base. */
  readonly baseRssMb: number;
  readonly jsonMb: number;
  readonly rejectedTotal: number;
  readonly rejectedListed: number;
  readonly duplicatesTotal: number;
  readonly accepted: number;
}

/** Writes the file line by line (never whole in memory) until it reaches 63 MB. */
function writeValuesFile(file: string, uais: readonly string[]): number {
  const fd = fs.openSync(file, "w");
  let bytes = 0;
  let lines = 0;
  let buffer = "uai;element;periode;ventilation;valeur\r\n";
  const flush = () => {
    fs.writeSync(fd, buffer);
    bytes += Buffer.byteLength(buffer);
    buffer = "";
  };
  outer: for (const period of PERIODS) {
    for (const element of ELEMENTS) {
      for (const [i, uai] of uais.entries()) {
        lines++;
        const kind = lines % 10;
        if (kind === 3) buffer += `${uai};${element};${period};;1;234\r\n`;
        else if (kind === 5) buffer += `${uai};${element};${period};;1.234\r\n`;
        else if (kind === 7) buffer += `${uai};${element}_x;${period};;12\r\n`;
        else if (lines % 997 === 0) buffer += `${uai};${element};${period};;${"9".repeat(2000)}\r\n`;
        else buffer += `${uai};${element};${period};;${(i * 7 + lines) % 500}\r\n`;
        // A duplicate of the line just written, now and then.
        if (lines % 100 === 1) {
          buffer += `${uai};${element};${period};;${(i * 7 + lines) % 500}\r\n`;
          lines++;
        }
        if (buffer.length > 1 << 20) {
          flush();
          if (bytes >= TARGET_BYTES) break outer;
        }
      }
    }
  }
  flush();
  fs.closeSync(fd);
  return lines;
}

export async function benchValuesImport(work: string): Promise<ValuesImportFigures> {
  const dataDir = path.join(work, "values-pglite");
  const env = { ...process.env, VIGIE_DATA_DIR: dataDir, DATABASE_URL: "" };
  // The académie-scale demo territory, without observatory values: the file's schools exist.
  const demo = spawnSync(
    process.execPath,
    [path.join(ROOT, "bin/vigie.mjs"), "demo", "--scale", "academy", "--no-values"],
    {
      env,
      encoding: "utf8",
    },
  );
  if (demo.status !== 0) throw new Error(`démonstration en échec : ${demo.stderr}`);
  const uais = generateDemoSchools("academy").map((s) => s.uai);
  const file = path.join(work, "valeurs-63mo.csv");
  const lines = writeValuesFile(file, uais);
  const fileMb = fs.statSync(file).size / 1e6;
  console.error(`Fichier de valeurs : ${lines} lignes, ${fileMb.toFixed(1)} Mo`);
  const measure = (target: string) =>
    spawnSync(
      "/usr/bin/time",
      [
        "-f",
        "peak-rss-kb=%M",
        process.execPath,
        path.join(ROOT, "bin/vigie.mjs"),
        "import",
        "valeurs",
        target,
        "--json",
      ],
      { env, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 },
    );
  const peakOf = (stderr: string) => Math.round(Number(/peak-rss-kb=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024);
  // The same command on a file with its header only: the process and the open base, without the import.
  const header = path.join(work, "valeurs-en-tete.csv");
  fs.writeFileSync(header, "uai;element;periode;ventilation;valeur\r\n");
  const empty = measure(header);
  if (empty.status !== 0) throw new Error(`import en échec : ${empty.stderr}`);
  const started = performance.now();
  const run = measure(file);
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`import en échec : ${run.stderr}`);
  const result = JSON.parse(run.stdout) as {
    report: {
      accepted: number;
      rejected: unknown[];
      rejectedTotal: number;
      duplicatesTotal: number;
    };
  };
  return {
    fileMb,
    lines,
    schools: uais.length,
    seconds,
    peakRssMb: peakOf(run.stderr),
    baseRssMb: peakOf(empty.stderr),
    jsonMb: Buffer.byteLength(run.stdout) / 1e6,
    rejectedTotal: result.report.rejectedTotal,
    rejectedListed: result.report.rejected.length,
    duplicatesTotal: result.report.duplicatesTotal,
    accepted: result.report.accepted,
  };
}

export function valuesImportTable(f: ValuesImportFigures): string {
  return [
    "| mesure | résultat | objectif |",
    "|---|---|---|",
    `| simulation \`vigie import valeurs\` (PGlite), ${f.fileMb.toFixed(1)} Mo, ${f.lines} lignes, ${f.schools} établissements | ${f.seconds.toFixed(1)} s | |`,
    `| mémoire maximale (RSS) du processus, base ouverte comprise | **${f.peakRssMb} Mo** (avant : 2,7 Go) | < 600 Mo |`,
    `| dont le processus et la base ouverte (même commande, fichier réduit à l'en-tête) | ${f.baseRssMb} Mo | |`,
    `| rapport JSON imprimé (\`--json\`) | ${f.jsonMb.toFixed(2)} Mo (avant : 331 Mo) | rapport plafonné |`,
    `| rejets listés / comptés ; doublons comptés ; lignes acceptées | ${f.rejectedListed} / ${f.rejectedTotal} ; ${f.duplicatesTotal} ; ${f.accepted} | 1 000 listés au plus |`,
  ].join("\n");
}
