import type { AnnuaireImportReport } from "../../contracts/territories.ts";

/** The import report as French text for a terminal. */
export function formatImportReport(report: AnnuaireImportReport, maxListed = 20): string {
  const lines = [
    report.committed
      ? "Import appliqué."
      : "Simulation : rien n'a été écrit (ajoutez --commit pour appliquer).",
    `Format reconnu : ${report.layout} · encodage ${report.encoding}`,
    `Lignes lues : ${report.read}`,
    `  créés : ${report.created}`,
    `  mis à jour : ${report.updated}`,
    `  inchangés : ${report.unchanged}`,
    `  fermés (etat = FERME) : ${report.closed}`,
    `  rejetés : ${report.rejectedTotal}`,
    `  UAI en double : ${report.duplicatesTotal}`,
  ];
  if (report.rejected.length > 0) {
    lines.push("", "Lignes rejetées :");
    for (const r of report.rejected.slice(0, maxListed)) {
      const column = r.column ? `, colonne ${r.column}` : "";
      lines.push(`  ligne ${r.line}${column} (${r.uai || "sans UAI"}) : ${r.reason}`);
    }
    if (report.rejectedTotal > maxListed)
      lines.push(
        `  … et ${report.rejectedTotal - maxListed} autres (--json pour les ${report.rejected.length} premières)`,
      );
  }
  if (report.duplicates.length > 0) {
    lines.push("", "UAI en double (seule la première occurrence est importée) :");
    for (const d of report.duplicates.slice(0, maxListed)) {
      lines.push(`  ligne ${d.line} : ${d.uai} (déjà vu ligne ${d.firstLine})`);
    }
    if (report.duplicatesTotal > maxListed) lines.push(`  … et ${report.duplicatesTotal - maxListed} autres`);
  }
  for (const w of report.warnings) lines.push(`Attention : ${w}`);
  return lines.join("\n");
}
