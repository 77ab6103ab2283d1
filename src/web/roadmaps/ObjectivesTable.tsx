import type { RoadmapDocument } from "../../contracts/roadmaps.ts";
import type { RoadmapEvaluation } from "../../contracts/roadmaps-api.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { ObjectiveStatusBadge } from "../ui/StatusBadge.tsx";
import {
  formatShare,
  formatValue,
  objectiveLabel,
  objectivePeriod,
  objectiveTargetText,
  territoryText,
} from "./labels.ts";

/** Every objective in one table: the data behind the tree's badges and progress bars. */
export function ObjectivesTable({
  document,
  evaluation,
  caption,
}: {
  document: RoadmapDocument;
  evaluation: RoadmapEvaluation;
  caption: string;
}) {
  const rows = document.ambitions.flatMap((a) =>
    a.targets.flatMap((t) =>
      t.operationalFields.flatMap((f) =>
        f.indicatorRefs.flatMap((ref) => ref.objectives.map((o) => ({ ref, objective: o }))),
      ),
    ),
  );
  if (rows.length === 0) return <p>Aucun objectif chiffré.</p>;
  return (
    <DataTable
      caption={caption}
      head={
        <>
          <tr>
            <th scope="col">Indicateur</th>
            <th scope="col">Territoire</th>
            <th scope="col">Échéance</th>
            <th scope="col">Base</th>
            <th scope="col">Objectif</th>
            <th scope="col">Valeur (période)</th>
            <th scope="col">Attendu sur la trajectoire</th>
            <th scope="col">Progression</th>
            <th scope="col">État</th>
          </tr>
        </>
      }
    >
      {rows.map(({ ref, objective }) => {
        const e = evaluation.objectives[objective.id];
        return (
          <tr key={objective.id}>
            <th scope="row">{objectiveLabel(ref.label, objective)}</th>
            <td>{territoryText(objective.territory)}</td>
            <td>{objectivePeriod(objective)}</td>
            <td>
              {e?.baseline ? `${formatValue(e.baseline.value, objective.unit)} (${e.baseline.year})` : "—"}
            </td>
            <td>{objectiveTargetText(objective)}</td>
            <td>
              {e?.current ? `${formatValue(e.current.value, objective.unit)} (${e.current.period})` : "—"}
            </td>
            <td>
              {e?.expected !== null && e?.expected !== undefined && e.current
                ? `${formatValue(e.expected, objective.unit)} (${e.current.period})`
                : "—"}
            </td>
            <td>{e?.progress !== null && e?.progress !== undefined ? formatShare(e.progress) : "—"}</td>
            <td>
              <ObjectiveStatusBadge status={e?.status ?? "no_data"} />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
