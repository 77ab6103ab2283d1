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
};

export function ImportReport({ report, headingLevel = "h3" }: Props) {
  const Heading = headingLevel;
  const committed = report.committed;
  const counts: [string, number][] = [
    ["Lignes lues", report.read],
    [committed ? "Établissements créés" : "Établissements à créer", report.created],
    [committed ? "Établissements mis à jour" : "Établissements à mettre à jour", report.updated],
    ["Établissements inchangés", report.unchanged],
    ["Établissements fermés (état « FERMÉ » dans le fichier)", report.closed],
    ["Lignes rejetées", report.rejected.length],
    ["Doublons", report.duplicates.length],
  ];

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
        <Heading>Lignes rejetées ({formatInteger(report.rejected.length)})</Heading>
        {report.rejected.length === 0 ? (
          <p>Aucune ligne rejetée.</p>
        ) : (
          <>
            <Table
              caption={`Lignes rejetées : ${plural(report.rejected.length, "ligne")}`}
              noCaption
              headers={["Ligne", "UAI", "Colonne", "Motif"]}
              data={report.rejected
                .slice(0, MAX_ROWS)
                .map((row) => [formatInteger(row.line), row.uai || "—", row.column ?? "—", row.reason])}
            />
            <TruncationNote total={report.rejected.length} />
          </>
        )}
      </section>

      <section className={fr.cx("fr-mt-4w")}>
        <Heading>Doublons ({formatInteger(report.duplicates.length)})</Heading>
        {report.duplicates.length === 0 ? (
          <p>Aucun doublon.</p>
        ) : (
          <>
            <p>Ces lignes répètent un UAI déjà présent plus haut dans le fichier.</p>
            <Table
              caption={`Doublons : ${plural(report.duplicates.length, "ligne")}`}
              noCaption
              headers={["Ligne", "UAI", "Première ligne avec cet UAI"]}
              data={report.duplicates
                .slice(0, MAX_ROWS)
                .map((row) => [formatInteger(row.line), row.uai, formatInteger(row.firstLine)])}
            />
            <TruncationNote total={report.duplicates.length} />
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
      Seules les {formatInteger(MAX_ROWS)} premières lignes sur {formatInteger(total)} sont affichées.
    </p>
  );
}
