import fs from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { startServer } from "./server/app.ts";
import {
  changeRoleFromCli,
  createUserFromCli,
  disableUserFromCli,
  formatCreatedUser,
  formatUserList,
  listUsersForCli,
} from "./server/identity/cli-users.ts";
import { ROLES } from "./server/identity/permissions.ts";
import { formatPurgeReport, purgeExpiredData } from "./server/identity/retention.ts";
import { IdentityError } from "./server/identity/users.ts";
import { loadObservatoryDemo } from "./server/indicators/demo.ts";
import { processPendingRollups, rollupFull } from "./server/indicators/engine.ts";
import { formatValuesReport, importValues, ValuesFormatError } from "./server/indicators/import-values.ts";
import { requestFullRefresh } from "./server/indicators/store.ts";
import { CLI_ACTOR, recordAudit } from "./server/platform/audit.ts";
import { loadConfig } from "./server/platform/config.ts";
import { openDatabase } from "./server/platform/db.ts";
import { terminalProgress } from "./server/platform/progress.ts";
import {
  exportRoadmapFromCli,
  formatRoadmapList,
  formatTemplateList,
  importRoadmapFromCli,
  listRoadmapsForCli,
} from "./server/roadmaps/cli.ts";
import { RoadmapError } from "./server/roadmaps/service.ts";
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
  VIGIE_DEMO=0     démarrer sans données de démonstration
  VIGIE_PUBLIC_URL adresse publique de Vigie (liens d'activation, cookie Secure en https)
  VIGIE_ADMIN_EMAIL  premier administrateur national (défaut : admin@vigie.localhost)`,
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
        onCommitted: async (trx, batchId, r) => {
          if (r.created + r.updated + r.closed > 0) await requestFullRefresh(trx);
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
                rejected: r.rejected.length,
                duplicates: r.duplicates.length,
              },
            },
          );
        },
      }).then(async (report) => {
        // Schools changed: coverages move; the aggregates are brought up to date now.
        if (report.committed) await processPendingRollups(h.db);
        return report;
      }),
    ).finally(progress.stop);
    console.log(opts.json ? JSON.stringify(report, null, 2) : formatImportReport(report));
  });

program
  .command("demo")
  .description("générer le territoire de démonstration et le charger dans la base")
  .addOption(new Option("--scale <échelle>", "taille du territoire").choices(DEMO_SCALES).default("region"))
  .option("--output <fichier>", "écrire le fichier CSV (format Annuaire 2026) au lieu de charger la base")
  .option("--no-values", "ne pas générer les valeurs de démonstration de l'observatoire")
  .option("--json", "rapport en JSON")
  .action(async (opts: { scale: DemoScale; output?: string; json?: boolean; values?: boolean }) => {
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
    const { report, observatory } = await withDatabase(async (h) => {
      const report = await loadDemo(h.db, opts.scale, progress.onProgress);
      progress.stop();
      const observatory = opts.values === false ? null : await loadObservatoryDemo(h.db);
      return { report, observatory };
    }).finally(progress.stop);
    if (opts.json) console.log(JSON.stringify({ ...report, observatory }, null, 2));
    else {
      console.log(formatImportReport(report));
      if (observatory)
        console.log(
          `Observatoire : ${observatory.values} valeurs de démonstration, ${observatory.rollup.rows} agrégats (${(observatory.rollup.ms / 1000).toFixed(1)} s).`,
        );
    }
  });

importCommand
  .command("valeurs <fichier>")
  .description(
    "importer des valeurs d'établissements (CSV uai;element;periode;ventilation;valeur ; simulation par défaut)",
  )
  .option("--commit", "appliquer l'import (une transaction), puis mettre à jour les agrégats")
  .option("--json", "rapport en JSON")
  .action(async (file: string, opts: { commit?: boolean; json?: boolean }) => {
    if (!fs.existsSync(file)) throw new UserError(`Fichier introuvable : ${file}`);
    const content = fs.readFileSync(file);
    const result = await withDatabase(async (h) => {
      const report = await importValues(h.db, content, {
        commit: Boolean(opts.commit),
        fileName: file,
      }).catch((error: unknown) => {
        if (error instanceof ValuesFormatError) throw new UserError(error.message);
        throw error;
      });
      if (report.committed) {
        await recordAudit(
          h.db,
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
              rejected: report.rejected.length,
            },
          },
        );
      }
      const rollup = report.committed ? await processPendingRollups(h.db) : null;
      return { report, rollup };
    });
    if (opts.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(formatValuesReport(result.report));
      if (result.rollup)
        console.log(
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
    const progress = terminalProgress("Agrégation", !opts.json);
    const report = await withDatabase((h) =>
      opts.full
        ? rollupFull(h.db, progress.onProgress ? { onProgress: progress.onProgress } : {})
        : processPendingRollups(h.db, progress.onProgress ? { onProgress: progress.onProgress } : {}),
    ).finally(progress.stop);
    if (opts.json) console.log(JSON.stringify(report ?? { pending: 0 }, null, 2));
    else if (!report) console.log("Aucune mise à jour en attente.");
    else
      console.log(
        `${report.rows} agrégats calculés pour ${report.indicators} indicateurs et ${report.academies} académies en ${(report.ms / 1000).toFixed(1)} s ; ${report.cellsSuppressed} cellules en secret statistique.`,
      );
  });

const userCommand = program.command("user").description("gérer les comptes et leurs rôles");
const roleOption = () => new Option("--role <rôle>", "rôle").choices(ROLES).makeOptionMandatory();
const territoryOption = () =>
  new Option(
    "--territory <territoire>",
    "territoire du rôle : FR, code seul ou niveau:code",
  ).makeOptionMandatory();
const emailOption = () =>
  new Option("--email <adresse>", "adresse électronique du compte").makeOptionMandatory();

userCommand
  .command("create")
  .description(
    "créer un compte avec un rôle (sans --password : affiche un lien d'activation valable 7 jours)",
  )
  .addOption(emailOption())
  .addOption(roleOption())
  .addOption(territoryOption())
  .option(
    "--password <mot de passe>",
    "mot de passe (sinon, lien d'activation) ; attention à l'historique du shell",
  )
  .option("--given-name <prénom>", "prénom")
  .option("--family-name <nom>", "nom")
  .option("--json", "résultat en JSON")
  .action(
    async (opts: {
      email: string;
      role: string;
      territory: string;
      password?: string;
      givenName?: string;
      familyName?: string;
      json?: boolean;
    }) => {
      const config = loadConfig();
      const created = await withDatabase((h) =>
        createUserFromCli(h.db, { ...opts, publicUrl: config.publicUrl }),
      );
      console.log(opts.json ? JSON.stringify(created, null, 2) : formatCreatedUser(created));
    },
  );

userCommand
  .command("list")
  .description("lister les comptes et leurs rôles")
  .option("--json", "résultat en JSON")
  .action(async (opts: { json?: boolean }) => {
    const users = await withDatabase((h) => listUsersForCli(h.db));
    console.log(opts.json ? JSON.stringify(users, null, 2) : formatUserList(users));
  });

for (const change of ["grant", "revoke"] as const) {
  userCommand
    .command(change)
    .description(change === "grant" ? "attribuer un rôle à un compte" : "retirer un rôle à un compte")
    .addOption(emailOption())
    .addOption(roleOption())
    .addOption(territoryOption())
    .option("--json", "résultat en JSON")
    .action(async (opts: { email: string; role: string; territory: string; json?: boolean }) => {
      const result = await withDatabase((h) => changeRoleFromCli(h.db, change, opts));
      const text = result.changed
        ? `${change === "grant" ? "Rôle attribué" : "Rôle retiré"} : ${result.role} sur ${result.territory} pour ${result.email}.`
        : `Rien à faire : ${result.email} ${change === "grant" ? "a déjà" : "n'a pas"} le rôle ${result.role} sur ${result.territory}.`;
      console.log(opts.json ? JSON.stringify(result) : text);
    });
}

userCommand
  .command("disable")
  .description("désactiver un compte (ses sessions et ses liens cessent de fonctionner)")
  .addOption(emailOption())
  .option("--json", "résultat en JSON")
  .action(async (opts: { email: string; json?: boolean }) => {
    const result = await withDatabase((h) => disableUserFromCli(h.db, opts.email));
    const text = result.changed
      ? `Compte désactivé : ${result.email}.`
      : `Le compte ${result.email} était déjà désactivé.`;
    console.log(opts.json ? JSON.stringify(result) : text);
  });

program
  .command("purge")
  .description("supprimer les données personnelles dont la durée de conservation est dépassée")
  .option("--json", "rapport en JSON")
  .action(async (opts: { json?: boolean }) => {
    const report = await withDatabase((h) => purgeExpiredData(h.db, { actor: CLI_ACTOR }));
    console.log(opts.json ? JSON.stringify(report) : formatPurgeReport(report));
  });

const roadmapCommand = program
  .command("roadmap")
  .description("feuilles de route et modèles (docs/roadmaps.md)");

roadmapCommand
  .command("list")
  .description("lister les feuilles de route (brouillons compris)")
  .option("--json", "résultat en JSON")
  .action(async (opts: { json?: boolean }) => {
    const list = await withDatabase((h) => listRoadmapsForCli(h.db));
    console.log(opts.json ? JSON.stringify(list.roadmaps, null, 2) : formatRoadmapList(list));
  });

roadmapCommand
  .command("templates")
  .description("lister les modèles tirés des cinq documents stratégiques")
  .option("--json", "résultat en JSON")
  .action(async (opts: { json?: boolean }) => {
    const list = await withDatabase((h) => listRoadmapsForCli(h.db));
    console.log(opts.json ? JSON.stringify(list.templates, null, 2) : formatTemplateList(list));
  });

roadmapCommand
  .command("import <fichier>")
  .description(
    "importer une feuille de route écrite en YAML (en brouillon ; rien n'est enregistré en cas d'erreur)",
  )
  .option(
    "--territoire <niveau:code>",
    "reporter la feuille de route sur ce territoire (FR, academicRegion:75, academy:04…)",
  )
  .option("--json", "résultat en JSON")
  .action(async (file: string, opts: { territoire?: string; json?: boolean }) => {
    if (!fs.existsSync(file)) throw new UserError(`Fichier introuvable : ${file}`);
    const yaml = fs.readFileSync(file, "utf8");
    const roadmap = await withDatabase((h) =>
      importRoadmapFromCli(h.db, { yaml, fileName: file, territory: opts.territoire }),
    );
    const { document: _document, evaluation: _evaluation, ...summary } = roadmap;
    console.log(
      opts.json
        ? JSON.stringify(summary, null, 2)
        : `Feuille de route importée en brouillon : ${roadmap.id} ${roadmap.slug} « ${roadmap.title} » (${roadmap.objectives} objectifs).`,
    );
  });

roadmapCommand
  .command("export <feuille>")
  .description("exporter une feuille de route en YAML (par son numéro ou son slug)")
  .option("--sortie <fichier>", "écrire dans ce fichier plutôt que sur la sortie standard")
  .action(async (idOrSlug: string, opts: { sortie?: string }) => {
    const { yaml } = await withDatabase((h) => exportRoadmapFromCli(h.db, idOrSlug));
    if (opts.sortie) {
      fs.writeFileSync(opts.sortie, yaml);
      console.error(`Feuille de route écrite dans ${opts.sortie}.`);
    } else {
      process.stdout.write(yaml);
    }
  });

// Commander's own messages are English: give the common ones in French.
const COMMANDER_MESSAGES: [RegExp, string][] = [
  [/^error: unknown command/, "erreur : commande inconnue"],
  [/^error: unknown option/, "erreur : option inconnue"],
  [/^error: missing required argument/, "erreur : argument manquant"],
  [/^error: required option/, "erreur : option obligatoire"],
  [/ not specified/, " manquante"],
  [/^error: option/, "erreur : option"],
  [/is invalid\. Allowed choices are/, "est invalide. Valeurs possibles :"],
  [/\(Did you mean (.*)\?\)/, "(Vouliez-vous dire $1 ?)"],
];
// Subcommands copy these settings when they are created, so they are applied to every command
// declared above, not only to the program.
const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
// Commander's help headings are English too.
const HELP_HEADINGS: [RegExp, string][] = [
  [/^Usage:/m, "Utilisation :"],
  [/^Options:/m, "Options :"],
  [/^Commands:/m, "Commandes :"],
  [/^Arguments:/m, "Arguments :"],
  [/\[command\]/g, "[commande]"],
];
const frenchHelp = (text: string) =>
  HELP_HEADINGS.reduce((t, [pattern, french]) => t.replace(pattern, french), text);
for (const command of everyCommand(program)) {
  command.exitOverride();
  command.configureOutput({
    writeOut: (text) => process.stdout.write(frenchHelp(text)),
    outputError: (message, write) => {
      write(COMMANDER_MESSAGES.reduce((m, [pattern, french]) => m.replace(pattern, french), message));
    },
  });
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) process.exit(0);
    process.exitCode = err.exitCode;
  } else if (err instanceof RoadmapError) {
    console.error(
      `Erreur : ${err.details.length > 0 ? `feuille de route invalide :\n- ${err.details.join("\n- ")}` : err.message}`,
    );
    process.exitCode = 2;
  } else if (err instanceof UserError || err instanceof AnnuaireFormatError || err instanceof IdentityError) {
    console.error(`Erreur : ${err.message}`);
    process.exitCode = 2;
  } else {
    console.error("Erreur inattendue :", err);
    process.exitCode = 1;
  }
}
