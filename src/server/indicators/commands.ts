import fs from "node:fs";
import type { Command } from "commander";
import type { Kysely } from "kysely";
import {
  CLI_ACTOR,
  type CliContext,
  CliUsageError,
  type Database,
  type DatabaseHandle,
  NO_PROGRESS,
  printLine,
  recordAudit,
  resolveFile,
} from "../platform/index.ts";
import { loadObservatoryDemo } from "./demo.ts";
import type { RefreshReport } from "./engine.ts";
import { formatValuesReport, importValues } from "./import-values.ts";
import { ROLLUP_JOB, type RollupPayload } from "./rollup-job.ts";

type Db = Kysely<Database>;

/** `vigie import valeurs` and `vigie rollup`. */
export function registerIndicatorCommands(program: Command, importCommand: Command, ctx: CliContext): void {
  importCommand
    .command("valeurs <fichier>")
    .description(
      "importer des valeurs d'établissements (CSV uai;element;periode;ventilation;valeur ; simulation par défaut)",
    )
    .option("--commit", "appliquer l'import (une transaction), puis mettre à jour les agrégats")
    .option("--json", "rapport en JSON")
    .action(async (file: string, opts: { commit?: boolean; json?: boolean }) => {
      // Read in slices by the import (a national file need not fit in memory).
      const path = resolveFile(ctx, file);
      if (!fs.existsSync(path)) throw new CliUsageError(`Fichier introuvable : ${file}`);
      const result = await ctx.withDatabase((h) =>
        importValuesFile(ctx, h, path, file, Boolean(opts.commit)),
      );
      if (opts.json) printLine(ctx, JSON.stringify(result, null, 2));
      else {
        printLine(ctx, formatValuesReport(result.report));
        if (result.rollup)
          printLine(
            ctx,
            `Agrégats mis à jour : ${result.rollup.rows} lignes en ${(result.rollup.ms / 1000).toFixed(1)} s.`,
          );
      }
    });

  program
    .command("rollup")
    .description("mettre à jour les agrégats de l'observatoire (en attente), ou tout recalculer avec --full")
    .option("--full", "tout recalculer à partir des valeurs (réparation)")
    .option("--json", "rapport en JSON")
    .action(async (opts: { full?: boolean; json?: boolean }) => {
      const progress = ctx.io.progress("Agrégation", !opts.json);
      // Both are the roll-up job's work (as after a web import): progress, retry, taken up again
      // after a stop; delegated to the running server, it runs among its jobs.
      const payload: RollupPayload = opts.full ? { full: true } : {};
      const report = await ctx
        .withDatabase((h) => ctx.runJob<RefreshReport | null>(h, ROLLUP_JOB, payload, progress))
        .finally(progress.stop);
      if (opts.json) printLine(ctx, JSON.stringify(report ?? { pending: 0 }, null, 2));
      else if (!report) printLine(ctx, "Aucune mise à jour en attente.");
      else
        printLine(
          ctx,
          `${report.rows} agrégats calculés pour ${report.indicators} indicateurs et ${report.academies} académies en ${(report.ms / 1000).toFixed(1)} s ; ${report.cellsSuppressed} cellules en secret statistique.`,
        );
    });
}

async function importValuesFile(
  ctx: CliContext,
  handle: DatabaseHandle,
  path: string,
  file: string,
  commit: boolean,
) {
  const db = handle.db;
  // A file that cannot be read as values is a ValuesFormatError (an AppError): exit code 2.
  const report = await importValues(db, { path }, { commit, fileName: file });
  if (report.committed) {
    await recordAudit(
      db,
      { ...CLI_ACTOR, source: "import" },
      {
        action: "values.import",
        entityType: "import_batch",
        entityId: report.batchId,
        sourceRef: report.batchId,
        summary: {
          file,
          read: report.read,
          written: report.written,
          unchanged: report.unchanged,
          held: report.held,
          rejected: report.rejectedTotal,
        },
      },
    );
  }
  const rollup = report.committed
    ? await ctx.runJob<RefreshReport | null>(handle, ROLLUP_JOB, {}, NO_PROGRESS)
    : null;
  return { report, rollup };
}

/** The observatory's part of `vigie demo`: demo values, rolled up. */
export async function loadDemoValuesForCli(db: Db): Promise<{ summary: unknown; text: string }> {
  const observatory = await loadObservatoryDemo(db);
  return {
    summary: observatory,
    text: `Observatoire : ${observatory.values} valeurs de démonstration, ${observatory.rollup.rows} agrégats (${(observatory.rollup.ms / 1000).toFixed(1)} s).`,
  };
}
