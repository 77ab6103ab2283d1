import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ImportFileReport } from "../../contracts/imports.ts";
import { formatInteger, plural } from "../format.ts";
import { DataTable } from "../ui/DataTable.tsx";

/** Rejections shown in the page; the report keeps the first 1 000, with their total. */
const SHOWN = 200;

/** French labels of the profiles' own summary keys (others are shown by their key). */
const SUMMARY_LABELS: Record<string, string> = {
  participants: "Participants",
  shared: "Profils envoyés",
  certifiable: "Profils certifiables",
  classes: "Classes",
  candidates: "Candidats",
  validated: "Certifications validées",
  schools: "Établissements",
  rows: "Lignes lues avec des valeurs",
  values: "Valeurs",
};

/** An import's report: the counts, the profile's summary, the rejections with line, column and reason. */
export function FileReport({ report }: { report: ImportFileReport }) {
  const committed = report.committed;
  const counts: [string, number][] = [
    ["Lignes lues", report.read],
    ["Lignes acceptées", report.accepted],
    ["Lignes rejetées", report.rejectedTotal],
    ["Doublons", report.duplicatesTotal],
    ["UAI inconnus", report.unknownUaiTotal],
    ["Établissements hors de votre périmètre", report.outOfScopeTotal],
    [
      committed ? "Valeurs écrites" : "Valeurs que le fichier donne",
      committed ? report.written : report.values,
    ],
    ...(committed ? ([["Valeurs inchangées", report.unchanged]] as [string, number][]) : []),
  ];
  const summary = Object.entries(report.summary);
  return (
    <div>
      <p>
        Profil : <strong>{report.profileLabel}</strong>
        {report.format ? (
          <>
            {" "}
            · format <strong>{report.format.toUpperCase()}</strong>
          </>
        ) : null}
        {report.encoding ? (
          <>
            {" "}
            · encodage <strong>{report.encoding}</strong>
          </>
        ) : null}
        {report.period ? (
          <>
            {" "}
            · période <strong>{report.period}</strong>
          </>
        ) : null}
        {report.school ? (
          <>
            {" "}
            · établissement <strong>{report.school}</strong>
          </>
        ) : null}
      </p>
      {report.alreadyImported ? (
        <Alert
          className={fr.cx("fr-mb-3w")}
          severity="warning"
          small
          description={`Ce fichier a déjà été importé${report.alreadyImportedBatch ? ` (lot ${report.alreadyImportedBatch})` : ""} : le confirmer n'écrira rien.`}
        />
      ) : null}
      {report.warning ? (
        <Alert className={fr.cx("fr-mb-3w")} severity="info" small description={report.warning} />
      ) : null}
      <DataTable
        caption={
          committed ? "Synthèse de l'import" : "Synthèse de la vérification (rien n'est encore enregistré)"
        }
        head={
          <tr>
            <th scope="col">Élément</th>
            <th scope="col">Nombre</th>
          </tr>
        }
      >
        {[...counts, ...summary.map(([k, v]) => [SUMMARY_LABELS[k] ?? k, v] as [string, number])].map(
          ([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{formatInteger(value)}</td>
            </tr>
          ),
        )}
      </DataTable>
      {report.rejected.length + report.duplicates.length > 0 ? (
        <DataTable
          caption={`Lignes rejetées et doublons : ${plural(report.rejectedTotal + report.duplicatesTotal, "ligne")}${report.rejectedTotal + report.duplicatesTotal > SHOWN ? ` (les ${SHOWN} premières)` : ""}`}
          head={
            <tr>
              <th scope="col">Ligne</th>
              <th scope="col">Colonne</th>
              <th scope="col">Raison</th>
            </tr>
          }
        >
          {[...report.rejected, ...report.duplicates]
            .sort((a, b) => a.line - b.line)
            .slice(0, SHOWN)
            .map((issue) => (
              <tr key={`${issue.line}-${issue.column ?? ""}-${issue.reason}`}>
                <td>{issue.line}</td>
                <td>{issue.column ?? "ligne entière"}</td>
                <td>{issue.reason}</td>
              </tr>
            ))}
        </DataTable>
      ) : null}
      {report.unknownUai.length > 0 ? (
        <p>
          UAI inconnus (leurs valeurs ne seront pas écrites) : {report.unknownUai.slice(0, 50).join(", ")}
          {report.unknownUaiTotal > 50 ? `… et ${formatInteger(report.unknownUaiTotal - 50)} autres` : ""}
        </p>
      ) : null}
      {report.outOfScope.length > 0 ? (
        <p>
          Établissements hors de votre périmètre (leurs valeurs ne seront pas écrites) :{" "}
          {report.outOfScope.slice(0, 50).join(", ")}
        </p>
      ) : null}
    </div>
  );
}
