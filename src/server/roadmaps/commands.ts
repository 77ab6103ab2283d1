import type { Command } from "commander";
import { type CliContext, printLine, readUserFile, writeUserFile } from "../platform/index.ts";
import {
  exportRoadmapFromCli,
  formatRoadmapList,
  formatTemplateList,
  importRoadmapFromCli,
  listRoadmapsForCli,
} from "./cli.ts";

/** `vigie roadmap …`. */
export function registerRoadmapCommands(program: Command, ctx: CliContext): void {
  const roadmapCommand = program
    .command("roadmap")
    .description("feuilles de route et modèles (docs/roadmaps.md)");

  roadmapCommand
    .command("list")
    .description("lister les feuilles de route (brouillons compris)")
    .option("--json", "résultat en JSON")
    .action(async (opts: { json?: boolean }) => {
      const list = await ctx.withDatabase((h) => listRoadmapsForCli(h.db));
      printLine(ctx, opts.json ? JSON.stringify(list.roadmaps, null, 2) : formatRoadmapList(list));
    });

  roadmapCommand
    .command("templates")
    .description("lister les modèles tirés des cinq documents stratégiques")
    .option("--json", "résultat en JSON")
    .action(async (opts: { json?: boolean }) => {
      const list = await ctx.withDatabase((h) => listRoadmapsForCli(h.db));
      printLine(ctx, opts.json ? JSON.stringify(list.templates, null, 2) : formatTemplateList(list));
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
      const yaml = readUserFile(ctx, file).toString("utf8");
      const roadmap = await ctx.withDatabase((h) =>
        importRoadmapFromCli(h.db, { yaml, fileName: file, territory: opts.territoire }),
      );
      const { document: _document, evaluation: _evaluation, ...summary } = roadmap;
      printLine(
        ctx,
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
      const { yaml } = await ctx.withDatabase((h) => exportRoadmapFromCli(h.db, idOrSlug));
      if (opts.sortie) {
        writeUserFile(ctx, opts.sortie, yaml);
        ctx.io.err(`Feuille de route écrite dans ${opts.sortie}.\n`);
      } else {
        ctx.io.out(yaml);
      }
    });
}
