import fs from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { startServer } from "./server/app.ts";
import { loadConfig } from "./server/platform/config.ts";
import { openDatabase } from "./server/platform/db.ts";
import { terminalProgress } from "./server/platform/progress.ts";
import {
  AnnuaireFormatError,
  importAnnuaire,
  writeAnnuaireCsv,
} from "./server/territories/annuaire/index.ts";
import { DEMO_SCALES, type DemoScale, generateDemoSchools } from "./server/territories/demo/generate.ts";
import { loadDemo } from "./server/territories/demo/load.ts";
import { formatImportReport } from "./server/territories/report-text.ts";
import { seedReferential } from "./server/territories/seed.ts";

/** The `vigie` command: same configuration as the server (VIGIE_DATA_DIR, DATABASE_URL). */

class UserError extends Error {}

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const handle = await openDatabase(loadConfig());
  try {
    await seedReferential(handle.db);
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

const program = new Command("vigie")
  .description("Vigie — piloter la stratégie du numérique éducatif par les données")
  .helpOption("-h, --help", "afficher l'aide")
  .helpCommand("help [commande]", "afficher l'aide d'une commande")
  .showHelpAfterError("(vigie --help pour l'aide)")
  .configureHelp({ sortSubcommands: true })
  .addHelpText(
    "after",
    `
Configuration (variables d'environnement) :
  VIGIE_DATA_DIR   dossier de la base embarquée PGlite (défaut : ./data)
  DATABASE_URL     serveur PostgreSQL à utiliser à la place de PGlite
  PORT             port HTTP du serveur (défaut : 3000)
  VIGIE_DEMO=0     démarrer sans données de démonstration`,
  );

program
  .command("serve")
  .description("démarrer le serveur web et l'API (charge la démo sur une base vide)")
  .action(async () => {
    const config = loadConfig();
    const server = await startServer({ config, onDemoProgress: (m) => console.error(m) });
    console.error(`Vigie est prêt : ${server.url} (base ${server.handle.engine}) — Ctrl+C pour arrêter.`);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });

program
  .command("migrate")
  .description("appliquer les migrations de la base et le référentiel territorial")
  .action(async () => {
    await withDatabase(async (h) => console.error(`Base à jour (${h.engine}).`));
  });

const importCommand = program.command("import").description("importer des données");
importCommand
  .command("annuaire <fichier>")
  .description("importer un export CSV de l'Annuaire de l'éducation (simulation par défaut)")
  .option("--commit", "appliquer l'import (en une seule transaction)")
  .option("--json", "rapport en JSON")
  .action(async (file: string, opts: { commit?: boolean; json?: boolean }) => {
    if (!fs.existsSync(file)) throw new UserError(`Fichier introuvable : ${file}`);
    const content = fs.readFileSync(file);
    const progress = terminalProgress(opts.commit ? "Import" : "Analyse", !opts.json);
    const report = await withDatabase((h) =>
      importAnnuaire(h.db, content, {
        commit: Boolean(opts.commit),
        fileName: file,
        ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
      }),
    ).finally(progress.stop);
    console.log(opts.json ? JSON.stringify(report, null, 2) : formatImportReport(report));
  });

program
  .command("demo")
  .description("générer le territoire de démonstration et le charger dans la base")
  .addOption(new Option("--scale <échelle>", "taille du territoire").choices(DEMO_SCALES).default("region"))
  .option("--output <fichier>", "écrire le fichier CSV (format Annuaire 2026) au lieu de charger la base")
  .option("--json", "rapport en JSON")
  .action(async (opts: { scale: DemoScale; output?: string; json?: boolean }) => {
    if (opts.output) {
      const records = generateDemoSchools(opts.scale);
      fs.writeFileSync(opts.output, writeAnnuaireCsv(records, "2026", { pupilsColumn: true }));
      const summary = { file: opts.output, schools: records.length, scale: opts.scale };
      console.log(
        opts.json ? JSON.stringify(summary) : `${records.length} établissements écrits dans ${opts.output}`,
      );
      return;
    }
    const progress = terminalProgress("Démo", !opts.json);
    const report = await withDatabase((h) => loadDemo(h.db, opts.scale, progress.onProgress)).finally(
      progress.stop,
    );
    console.log(opts.json ? JSON.stringify(report, null, 2) : formatImportReport(report));
  });

// Commander's own messages are English: give the common ones in French.
const COMMANDER_MESSAGES: [RegExp, string][] = [
  [/^error: unknown command/, "erreur : commande inconnue"],
  [/^error: unknown option/, "erreur : option inconnue"],
  [/^error: missing required argument/, "erreur : argument manquant"],
  [/^error: required option/, "erreur : option obligatoire"],
  [/^error: option/, "erreur : option"],
  [/is invalid\. Allowed choices are/, "est invalide. Valeurs possibles :"],
  [/\(Did you mean (.*)\?\)/, "(Vouliez-vous dire $1 ?)"],
];
program.exitOverride();
program.configureOutput({
  outputError: (message, write) => {
    write(COMMANDER_MESSAGES.reduce((m, [pattern, french]) => m.replace(pattern, french), message));
  },
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) process.exit(0);
    process.exitCode = err.exitCode;
  } else if (err instanceof UserError || err instanceof AnnuaireFormatError) {
    console.error(`Erreur : ${err.message}`);
    process.exitCode = 2;
  } else {
    console.error("Erreur inattendue :", err);
    process.exitCode = 1;
  }
}
