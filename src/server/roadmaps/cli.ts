import type { Kysely } from "kysely";
import { ROADMAP_STATUS_LABELS, type RoadmapList } from "../../contracts/roadmaps-api.ts";
import { CLI_ACTOR, type Database } from "../platform/index.ts";
import { exportRoadmap, listRoadmaps } from "./read.ts";
import { importRoadmap } from "./write.ts";

/** `vigie roadmap …`: the command line sees every roadmap (drafts included) and writes as « ligne de commande ». */

type Db = Kysely<Database>;

export function listRoadmapsForCli(db: Db): Promise<RoadmapList> {
  return listRoadmaps(db, "cli");
}

function territoryText(t: { level: string; code: string; name: string }): string {
  return t.level === "nation" ? "France (FR)" : `${t.name} (${t.level}:${t.code})`;
}

export function formatRoadmapList(list: RoadmapList): string {
  if (list.roadmaps.length === 0)
    return "Aucune feuille de route. Créez-en une depuis un modèle (vigie roadmap templates) ou importez un fichier YAML.";
  const lines = list.roadmaps.map(
    (r) =>
      `${r.id.padStart(4)}  ${r.slug}  « ${r.title} » — ${territoryText(r.territory)}, ${r.period.label}, ${ROADMAP_STATUS_LABELS[r.status]}, ${r.objectives} objectif${r.objectives > 1 ? "s" : ""}, version ${r.version}`,
  );
  return [`${list.roadmaps.length} feuille${list.roadmaps.length > 1 ? "s" : ""} de route :`, ...lines].join(
    "\n",
  );
}

export function formatTemplateList(list: RoadmapList): string {
  const lines = list.templates.map(
    (t) =>
      `${t.id}  « ${t.shortTitle} » — ${territoryText(t.territory)}, ${t.period.label}, ${t.ambitions} ambitions, ${t.objectives} objectifs chiffrés (document ${t.seed ?? "—"})`,
  );
  return [`${list.templates.length} modèles de feuille de route :`, ...lines].join("\n");
}

export async function importRoadmapFromCli(
  db: Db,
  input: { yaml: string; fileName: string; territory?: string | undefined },
) {
  return importRoadmap(db, { principal: "cli", actor: { ...CLI_ACTOR, source: "cli" } }, input);
}

export async function exportRoadmapFromCli(db: Db, idOrSlug: string) {
  return exportRoadmap(db, "cli", idOrSlug);
}
