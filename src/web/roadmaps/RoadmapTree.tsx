import { fr } from "@codegouvfr/react-dsfr";
import { disaggregationLabel } from "../../contracts/disaggregation-labels.ts";
import type { RoadmapDocument } from "../../contracts/roadmaps.ts";
import type { RoadmapEvaluation } from "../../contracts/roadmaps-api.ts";
import { ObjectiveStatusBadge, ProgressBar, RollupSummary } from "../ui/StatusBadge.tsx";
import { formatValue, objectivePeriod, objectiveTargetText, territoryText } from "./labels.ts";
import "./roadmaps.css";

/** « Ambition 1 », « Cible 1.2 », « Champ opérationnel CO3 »: the kind, then the code (unless the code already says it). */
function nodeLabel(kind: string, code: string | undefined): string {
  if (!code) return kind;
  return code.toLowerCase().startsWith(kind.toLowerCase()) ? code : `${kind} ${code}`;
}

/**
 * The tree ambitions → cibles → champs opérationnels → indicateurs → objectifs, with the status of
 * every node (in words) and progress bars whose value is written beside them. Headings h2 → h4
 * give the structure; the objectives are also in the data table below the tree.
 */
export function RoadmapTree({
  document,
  evaluation,
}: {
  document: RoadmapDocument;
  evaluation: RoadmapEvaluation;
}) {
  return (
    <ul className="vigie-roadmap-tree">
      {document.ambitions.map((ambition, ai) => {
        const rollup = evaluation.nodes[ambition.id];
        return (
          <li key={ambition.id}>
            <h3 className="vigie-roadmap-node-title">
              {nodeLabel("Ambition", ambition.code ?? String(ai + 1))} : {ambition.title}
            </h3>
            {rollup ? <RollupSummary rollup={rollup} label={`Ambition ${ambition.title}`} /> : null}
            {ambition.description ? <p className={fr.cx("fr-mt-1w")}>{ambition.description}</p> : null}
            <ul>
              {ambition.targets.map((target) => {
                const targetRollup = evaluation.nodes[target.id];
                return (
                  <li key={target.id}>
                    <h4 className="vigie-roadmap-node-title">
                      {nodeLabel("Cible", target.code)} : {target.title}
                    </h4>
                    {targetRollup ? (
                      <RollupSummary rollup={targetRollup} label={`Cible ${target.title}`} />
                    ) : null}
                    {target.operationalFields.length > 0 ? (
                      <ul>
                        {target.operationalFields.map((field) => {
                          const fieldRollup = evaluation.nodes[field.id];
                          return (
                            <li key={field.id}>
                              <p className={fr.cx("fr-text--bold", "fr-mb-1v")}>
                                {nodeLabel("Champ opérationnel", field.code)} : {field.title}
                              </p>
                              {fieldRollup && fieldRollup.total > 0 ? (
                                <RollupSummary rollup={fieldRollup} label={`Champ ${field.title}`} />
                              ) : null}
                              {field.indicatorRefs.length > 0 ? (
                                <ul>
                                  {field.indicatorRefs.map((ref, ri) => (
                                    // biome-ignore lint/suspicious/noArrayIndexKey: indicator refs have no id; the list is never reordered on screen
                                    <li key={`${ref.indicatorCode}-${ri}`}>
                                      <p className={fr.cx("fr-mb-1v")}>
                                        Indicateur : {ref.label}{" "}
                                        <span className={fr.cx("fr-text--xs")}>({ref.indicatorCode})</span>
                                      </p>
                                      {ref.objectives.length > 0 ? (
                                        <ul>
                                          {ref.objectives.map((objective) => {
                                            const e = evaluation.objectives[objective.id];
                                            return (
                                              <li key={objective.id} className="vigie-objective">
                                                <span>
                                                  Objectif {objectivePeriod(objective)}
                                                  {objective.disaggregation
                                                    ? ` (${disaggregationLabel(objective.disaggregation)})`
                                                    : ""}
                                                  , {territoryText(objective.territory)} :{" "}
                                                  {objectiveTargetText(objective)}
                                                  {e?.current
                                                    ? ` — valeur ${formatValue(e.current.value, objective.unit)} (${e.current.period})`
                                                    : ""}
                                                </span>
                                                <ObjectiveStatusBadge status={e?.status ?? "no_data"} />
                                                {e?.progress !== null && e?.progress !== undefined ? (
                                                  <ProgressBar
                                                    value={e.progress}
                                                    label={`Progression vers l'objectif ${objective.id}`}
                                                  />
                                                ) : null}
                                              </li>
                                            );
                                          })}
                                        </ul>
                                      ) : (
                                        <p className={fr.cx("fr-text--sm")}>Suivi sans objectif chiffré.</p>
                                      )}
                                    </li>
                                  ))}
                                </ul>
                              ) : null}
                            </li>
                          );
                        })}
                      </ul>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}
