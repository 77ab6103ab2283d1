import type { ImportBatchSummary, ImportRollbackReport } from "./batches.ts";
import type { ImportReport } from "./run.ts";

/** The report of `vigie import <profile>` as text, in French (the JSON has everything). */

const SHOWN = 50;

export function formatImportFileReport(r: ImportReport): string {
  const lines = [`Profil : ${r.profile} (« ${r.profileLabel} ») — fichier : ${r.fileName}`];
  if (r.refused) {
    lines.push(`Fichier refusé : ${r.refused}`, "Rien n'a été enregistré.");
    return lines.join("\n");
  }
  if (r.format) lines.push(`Format : ${r.format === "xlsx" ? "XLSX" : `CSV ${r.encoding ?? ""}`.trim()}`);
  if (r.warning) lines.push(`Attention : ${r.warning}`);
  lines.push(
    `Lignes lues : ${r.read} — acceptées : ${r.accepted} — rejetées : ${r.rejectedTotal} — doublons : ${r.duplicatesTotal}${r.empty > 0 ? ` — vides : ${r.empty}` : ""}`,
  );
  const summary = Object.entries(r.summary);
  if (summary.length > 0) lines.push(`Résumé : ${summary.map(([k, v]) => `${k} ${v}`).join(", ")}`);
  lines.push(`Valeurs : ${r.values}`);
  if (r.unknownUaiTotal > 0)
    lines.push(
      `UAI inconnus (${r.unknownUaiTotal}) : ${r.unknownUai.slice(0, 20).join(", ")}${r.unknownUaiTotal > 20 ? "…" : ""}`,
    );
  if (r.outOfScopeTotal > 0)
    lines.push(
      `Établissements hors de votre périmètre (${r.outOfScopeTotal}) : ${r.outOfScope.slice(0, 20).join(", ")}${r.outOfScopeTotal > 20 ? "…" : ""}`,
    );
  for (const e of r.rejected.slice(0, SHOWN))
    lines.push(`  ligne ${e.line}${e.column ? `, colonne « ${e.column} »` : ""} : ${e.reason}`);
  if (r.rejectedTotal > SHOWN)
    lines.push(`  … et ${r.rejectedTotal - SHOWN} autres rejets (tous dans --json)`);
  for (const e of r.duplicates.slice(0, 10))
    lines.push(`  doublon ligne ${e.line}${e.column ? `, colonne « ${e.column} »` : ""} : ${e.reason}`);
  if (r.alreadyImported)
    lines.push(
      `Déjà importé (lot ${r.alreadyImportedBatch ?? "?"}) : ce fichier a déjà été enregistré, rien n'a été écrit.`,
    );
  else if (r.committed)
    lines.push(
      `Import appliqué (lot ${r.batchId}) : ${r.written} valeurs écrites, ${r.unchanged} inchangées${r.held > 0 ? `, ${r.held} retenues pour vérification` : ""}. Annulation : vigie import rollback ${r.batchId}`,
    );
  else lines.push("Simulation : rien n'a été enregistré (ajoutez --commit pour appliquer).");
  return lines.join("\n");
}

export function formatRollbackReport(r: ImportRollbackReport): string {
  const lines = [
    `Lot ${r.batchId} annulé (${r.profile}, ${r.fileName}) : ${r.removed} valeurs supprimées, ${r.restored} remises comme avant${r.replacedSince > 0 ? `, ${r.replacedSince} déjà remplacées depuis par un import plus récent (laissées)` : ""}.`,
  ];
  if (r.recombined > 0)
    lines.push(
      `${r.recombined} valeurs recalculées à partir des autres fichiers de l'établissement (lot ${r.recombinedBatchId}).`,
    );
  return lines.join("\n");
}

const STATUS_LABELS: Record<ImportBatchSummary["status"], string> = {
  "dry-run": "simulation",
  committed: "appliqué",
  "rolled-back": "annulé",
};

export function formatBatchList(list: readonly ImportBatchSummary[]): string {
  if (list.length === 0) return "Aucun fichier importé.";
  return list
    .map(
      (b) =>
        `lot ${b.batchId ?? "-"}\t${STATUS_LABELS[b.status]}\t${b.profile}\t${b.fileName}\t${b.schoolUai ?? "plusieurs établissements"}\t${b.written} valeurs\t${b.committedAt ?? ""}`,
    )
    .join("\n");
}
