import fs from "node:fs";
import type { Command } from "commander";
import { parsePeriod, ROLLUP_JOB } from "../../indicators/index.ts";
import {
  AppError,
  CLI_ACTOR,
  type CliContext,
  CliUsageError,
  type DatabaseHandle,
  NO_PROGRESS,
  printLine,
  userFilePath,
} from "../../platform/index.ts";
import { findSchool } from "./apply.ts";
import { listImportBatches, rollbackImport } from "./batches.ts";
import { IMPORT_COMMIT_JOB, type ImportCommitPayload, type ImportCommitResult } from "./commit-job.ts";
import { formatBatchList, formatImportFileReport, formatRollbackReport } from "./report-text.ts";
import { dryRun, type ImportReport } from "./run.ts";
import { genericProfileCode, type Profile, type ProfileResolver, type SchoolRef } from "./types.ts";

/**
 * `vigie import <profil> <fichier> [--school UAI] [--period P] [--commit] [--json]` for every
 * profile, `vigie import rollback <lot>` and `vigie import lots`, in the `import` group shared
 * with `import annuaire` (territories) and `import valeurs` (indicators). The commit is the
 * `imports.commit` job, as from the web (run by the server when it owns the base); the roll-up
 * runs right after, so that the dashboards show the values when the command ends.
 */

interface ImportCliOptions {
  mapping?: string;
  school?: string;
  period?: string;
  commit?: boolean;
  json?: boolean;
}

const CLI_IMPORT_ACTOR = { ...CLI_ACTOR, source: "import" as const };

export function registerImportCommands(
  importCommand: Command,
  ctx: CliContext,
  profiles: readonly Profile[],
  /** Profiles built at run time from the base (the generic profile of a saved mapping). */
  resolverFor?: (db: DatabaseHandle["db"]) => ProfileResolver,
): void {
  for (const profile of profiles)
    profileCommand(importCommand, ctx, profiles, {
      name: profile.code,
      label: profile.label,
      needsSchool: profile.needsSchool,
      profileFor: async () => profile,
    });
  if (resolverFor)
    profileCommand(importCommand, ctx, profiles, {
      name: "generic",
      label: "fichier quelconque, lu avec une correspondance enregistrée (--mapping)",
      needsSchool: false,
      profileFor: async (opts, h) => {
        if (!opts.mapping)
          throw new CliUsageError("Le profil generic demande --mapping <nom de la correspondance>.");
        const found = await resolverFor(h.db)(genericProfileCode(opts.mapping));
        if (!found)
          throw new CliUsageError(`--mapping ${opts.mapping} : aucune correspondance ne porte ce nom.`);
        return found;
      },
    });

  importCommand
    .command("rollback <lot>")
    .description("annuler un lot d'import de fichier (ses valeurs supprimées, les précédentes remises)")
    .option("--json", "rapport en JSON")
    .action(async (batch: string, opts: { json?: boolean }) => {
      const report = await ctx.withDatabase(async (h) => {
        const report = await rollbackImport(h.db, batch, { actor: CLI_IMPORT_ACTOR, profiles });
        await ctx.runJob(h, ROLLUP_JOB, {}, NO_PROGRESS);
        return report;
      });
      printLine(ctx, opts.json ? JSON.stringify(report, null, 2) : formatRollbackReport(report));
    });

  importCommand
    .command("lots")
    .description("lister les fichiers importés et leurs lots (le plus récent d'abord)")
    .option("--json", "liste en JSON")
    .action(async (opts: { json?: boolean }) => {
      const list = await ctx.withDatabase((h) => listImportBatches(h.db));
      printLine(ctx, opts.json ? JSON.stringify(list, null, 2) : formatBatchList(list));
    });
}

interface ProfileCommand {
  name: string;
  label: string;
  needsSchool: boolean;
  /** The profile, once the base is open (the generic one reads its saved mapping there). */
  profileFor: (opts: ImportCliOptions, h: DatabaseHandle) => Promise<Profile>;
}

function profileCommand(
  importCommand: Command,
  ctx: CliContext,
  profiles: readonly Profile[],
  spec: ProfileCommand,
): void {
  const command = importCommand
    .command(`${spec.name} <fichier>`)
    .description(`importer un fichier « ${spec.label} » (simulation par défaut)`);
  if (spec.name === "generic") command.option("--mapping <nom>", "nom de la correspondance enregistrée");
  command
    .option(
      "--school <uai>",
      spec.needsSchool
        ? "UAI de l'établissement du fichier (obligatoire : le fichier n'en nomme pas)"
        : "UAI de l'établissement du fichier",
    )
    .option(
      "--period <période>",
      "période des valeurs (2024-2025, 2025-03…), quand le fichier ne la donne pas",
    )
    .option(
      "--commit",
      "appliquer l'import (un traitement, une transaction), puis mettre à jour les agrégats",
    )
    .option("--json", "rapport en JSON")
    .action(async (file: string, opts: ImportCliOptions) => {
      const path = userFilePath(ctx, file);
      if (!fs.existsSync(path)) throw new CliUsageError(`Fichier introuvable : ${file}`);
      if (opts.period !== undefined) {
        const period = parsePeriod(opts.period);
        if (!period.ok) throw new CliUsageError(`--period ${opts.period} : ${period.reason}`);
      }
      const progress = ctx.io.progress(opts.commit ? "Import" : "Analyse", !opts.json);
      const report = await ctx
        .withDatabase(async (h) => {
          const profile = await spec.profileFor(opts, h);
          const school = opts.school ? await schoolOption(h, opts.school) : null;
          const common = { school, period: opts.period ?? null };
          if (!opts.commit)
            return dryRun(h.db, {
              profile,
              profiles,
              file: path,
              fileName: file,
              ...common,
              ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
            });
          const payload: ImportCommitPayload = {
            profile: profile.code,
            source: { kind: "path", path, fileName: file },
            ...common,
            actor: CLI_IMPORT_ACTOR,
            rights: null,
          };
          const { report } = await ctx.runJob<ImportCommitResult>(h, IMPORT_COMMIT_JOB, payload, progress);
          progress.stop();
          // The values are in: the aggregates are brought up to date before the command ends.
          if (report.committed && report.written > 0) await ctx.runJob(h, ROLLUP_JOB, {}, NO_PROGRESS);
          return report;
        })
        .finally(progress.stop);
      print(ctx, report, Boolean(opts.json));
    });
}

async function schoolOption(h: DatabaseHandle, uai: string): Promise<SchoolRef> {
  const school = await findSchool(h.db, uai);
  if (!school) throw new CliUsageError(`--school ${uai} : aucun établissement n'a cet UAI dans la base.`);
  return { id: school.id, uai: school.uai, academyCode: school.academyCode, type: school.type };
}

/** The report, then exit code 2 when the file was refused (the reason already in the report). */
function print(ctx: CliContext, report: ImportReport, json: boolean): void {
  printLine(ctx, json ? JSON.stringify(report, null, 2) : formatImportFileReport(report));
  if (report.refused) throw new AppError(400, "import_refused", report.refused);
}
