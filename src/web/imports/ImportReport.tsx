import { fr } from "@codegouvfr/react-dsfr";
import { Table } from "@codegouvfr/react-dsfr/Table";
import type { AnnuaireImportReport } from "../../contracts/territories.ts";
import { formatInteger, plural } from "../format.ts";

/** Rows shown in the rejection and duplicate tables; the rest is summarised. */
const MAX_ROWS = 500;

type Props = {
  report: AnnuaireImportReport;
  /** Heading level of the report's sections (the report title itself is given by the page). */
  headingLevel?: "h3" | "h4";
  /** The full report in CSV (every rejection and duplicate), when the server kept it. */
  fullReportUrl?: string | undefined;
};

export function ImportReport({ report, headingLevel = "h3", fullReportUrl }: Props) {
  const Heading = headingLevel;
  const committed = report.committed;
  const counts: [string, number][] = [
    ["Lignes lues", report.read],
    [committed ? "Établissements créés" : "Établissements à créer", report.created],
    [committed ? "Établissements mis à jour" : "Établissements à mettre à jour", report.updated],
    ["Établissements inchangés", report.unchanged],
    ["Établissements fermés (état « FERMÉ » dans le fichier)", report.closed],
    ["Lignes rejetées", report.rejectedTotal],
    ["Doublons", report.duplicatesTotal],
  ];
  const hasIssues = report.rejectedTotal + report.duplicatesTotal > 0;

  return (
    <div>
      <p>
        Format reconnu : <strong>{report.layout}</strong>. Encodage : <strong>{report.encoding}</strong>.
      </p>
      <Table
        caption={
          committed ? "Synthèse de l'import" : "Synthèse de la vérification (aucune donnée enregistrée)"
        }
        headers={["Élément", "Nombre"]}
        data={counts.map(([label, value]) => [label, formatInteger(value)])}
        noScroll
      />
      {fullReportUrl && hasIssues ? (
        <p>
          <a
            className={fr.cx("fr-link", "fr-icon-download-line", "fr-link--icon-left")}
            href={fullReportUrl}
            download
          >
            Télécharger le rapport complet (CSV :{" "}
            {plural(report.rejectedTotal, "ligne rejetée", "lignes rejetées")},{" "}
            {plural(report.duplicatesTotal, "doublon")})
          </a>
        </p>
      ) : null}

      {report.warnings.length > 0 ? (
        <section className={fr.cx("fr-mt-4w")}>
          <Heading>Avertissements ({formatInteger(report.warnings.length)})</Heading>
          <ul>
            {report.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className={fr.cx("fr-mt-4w")}>
        <Heading>Lignes rejetées ({formatInteger(report.rejectedTotal)})</Heading>
        {report.rejected.length === 0 ? (
          <p>Aucune ligne rejetée.</p>
        ) : (
          <>
            <Table
              caption={`Lignes rejetées : ${plural(report.rejectedTotal, "ligne")}`}
              noCaption
              headers={["Ligne", "UAI", "Colonne", "Motif"]}
              data={report.rejected
                .slice(0, MAX_ROWS)
                .map((row) => [formatInteger(row.line), row.uai || "—", row.column ?? "—", row.reason])}
            />
            <TruncationNote total={report.rejectedTotal} />
          </>
        )}
      </section>

      <section className={fr.cx("fr-mt-4w")}>
        <Heading>Doublons ({formatInteger(report.duplicatesTotal)})</Heading>
        {report.duplicates.length === 0 ? (
          <p>Aucun doublon.</p>
        ) : (
          <>
            <p>Ces lignes répètent un UAI déjà présent plus haut dans le fichier.</p>
            <Table
              caption={`Doublons : ${plural(report.duplicatesTotal, "ligne")}`}
              noCaption
              headers={["Ligne", "UAI", "Première ligne avec cet UAI"]}
              data={report.duplicates
                .slice(0, MAX_ROWS)
                .map((row) => [formatInteger(row.line), row.uai, formatInteger(row.firstLine)])}
            />
            <TruncationNote total={report.duplicatesTotal} />
          </>
        )}
      </section>
    </div>
  );
}

function TruncationNote({ total }: { total: number }) {
  if (total <= MAX_ROWS) return null;
  return (
    <p className={fr.cx("fr-text--sm")}>
      Seules les {formatInteger(MAX_ROWS)} premières lignes sur {formatInteger(total)} sont affichées : le
      rapport complet (CSV) les donne toutes.
    </p>
  );
}
