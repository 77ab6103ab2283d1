import { type Command, Option } from "commander";
import type { Kysely } from "kysely";
import type { AnnuaireImportReport } from "../../contracts/territories.ts";
import {
  CLI_ACTOR,
  type CliContext,
  type Database,
  type DatabaseHandle,
  printLine,
  recordAudit,
  userFilePath,
  writeUserFile,
} from "../platform/index.ts";
import { importAnnuaire, schoolsChanged, writeAnnuaireCsv } from "./annuaire/index.ts";
import { DEMO_SCALES, type DemoScale, generateDemoSchools } from "./demo/generate.ts";
import { loadDemo } from "./demo/load.ts";
import { formatImportReport } from "./report-text.ts";

type Db = Kysely<Database>;

/** What the territories' commands ask of the modules above them (wired in cli.ts). */
export interface TerritoryCommandDeps {
  /** Inside the Annuaire import's transaction, when schools were created, changed or closed. */
  onSchoolsChanged(trx: Db): Promise<void>;
  /** After a committed Annuaire import: bring what depends on the schools up to date. */
  afterSchoolsCommitted(handle: DatabaseHandle): Promise<void>;
  /** After the demo territory is loaded: the modules' own demo data; a JSON summary and a line of text. */
  loadDemoData(db: Db, options: { values: boolean }): Promise<{ summary: unknown; text: string } | null>;
}

/** `vigie import annuaire` and `vigie demo`. */
export function registerTerritoryCommands(
  program: Command,
  importCommand: Command,
  ctx: CliContext,
  deps: TerritoryCommandDeps,
): void {
  importCommand
    .command("annuaire <fichier>")
    .description("importer un export CSV de l'Annuaire de l'éducation (simulation par défaut)")
    .option("--commit", "appliquer l'import (en une seule transaction)")
    .option("--json", "rapport en JSON")
    .action(async (file: string, opts: { commit?: boolean; json?: boolean }) => {
      // The path: the file is read in slices (twice for a commit), never whole in memory.
      const content = userFilePath(ctx, file);
      const progress = ctx.io.progress(opts.commit ? "Import" : "Analyse", !opts.json);
      const report = await ctx
        .withDatabase(async (h) => {
          const report = await importAnnuaire(h.db, content, {
            commit: Boolean(opts.commit),
            fileName: file,
            ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
            onCommitted: (trx, batchId, r) => onAnnuaireCommitted(trx, batchId, r, file, deps),
          });
          // An unchanged file changes no school: no roll-up to run.
          if (report.committed && schoolsChanged(report)) await deps.afterSchoolsCommitted(h);
          return report;
        })
        .finally(progress.stop);
      printLine(ctx, opts.json ? JSON.stringify(report, null, 2) : formatImportReport(report));
    });

  program
    .command("demo")
    .description("générer le territoire de démonstration et le charger dans la base")
    .addOption(new Option("--scale <échelle>", "taille du territoire").choices(DEMO_SCALES).default("region"))
    .option("--output <fichier>", "écrire le fichier CSV (format Annuaire 2026) au lieu de charger la base")
    .option("--no-values", "ne pas générer les valeurs de démonstration de l'observatoire")
    .option("--json", "rapport en JSON")
    .action(async (opts: { scale: DemoScale; output?: string; json?: boolean; values?: boolean }) => {
      if (opts.output) return writeDemoFile(ctx, opts.scale, opts.output, Boolean(opts.json));
      const progress = ctx.io.progress("Démo", !opts.json);
      const { report, extras } = await ctx
        .withDatabase(async (h) => {
          const report = await loadDemo(h.db, opts.scale, progress.onProgress);
          progress.stop();
          const extras = await deps.loadDemoData(h.db, { values: opts.values !== false });
          return { report, extras };
        })
        .finally(progress.stop);
      if (opts.json)
        printLine(ctx, JSON.stringify({ ...report, observatory: extras?.summary ?? null }, null, 2));
      else {
        printLine(ctx, formatImportReport(report));
        if (extras) printLine(ctx, extras.text);
      }
    });
}

async function onAnnuaireCommitted(
  trx: Db,
  batchId: string,
  r: AnnuaireImportReport,
  file: string,
  deps: TerritoryCommandDeps,
): Promise<void> {
  if (schoolsChanged(r)) await deps.onSchoolsChanged(trx);
  await recordAudit(
    trx,
    { ...CLI_ACTOR, source: "import" },
    {
      action: "annuaire.import",
      entityType: "import_batch",
      entityId: batchId,
      sourceRef: batchId,
      summary: {
        file,
        read: r.read,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        closed: r.closed,
        rejected: r.rejectedTotal,
        duplicates: r.duplicatesTotal,
      },
    },
  );
}

function writeDemoFile(ctx: CliContext, scale: DemoScale, output: string, json: boolean): void {
  const records = generateDemoSchools(scale);
  writeUserFile(ctx, output, writeAnnuaireCsv(records, "2026", { pupilsColumn: true }));
  const summary = { file: output, schools: records.length, scale };
  printLine(ctx, json ? JSON.stringify(summary) : `${records.length} établissements écrits dans ${output}`);
}
