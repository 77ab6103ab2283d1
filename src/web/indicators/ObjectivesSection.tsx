import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "react-router";
import { disaggregationLabel } from "../../contracts/disaggregation-labels.ts";
import type { IndicatorDashboard } from "../../contracts/indicators.ts";
import { ObjectiveStatusBadge, ProgressBar } from "../ui/StatusBadge.tsx";
import { formatValue, periodLabel } from "./model.ts";

const COMPARATOR_TEXT = { ">=": "au moins", "<=": "au plus", "=": "exactement" } as const;

/**
 * The objectives the published roadmaps set on this indicator for this territory: target,
 * trajectory, current value and status, each in words (the badge colour only repeats them).
 */
export function ObjectivesSection({
  dashboard,
  headingId,
}: {
  dashboard: IndicatorDashboard;
  headingId: string;
}) {
  const unit = dashboard.indicator.unit;
  const value = (v: number | null | undefined) =>
    v === null || v === undefined ? "—" : formatValue(v, unit);
  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby={headingId}>
      <h2 id={headingId}>Objectifs</h2>
      {dashboard.objectives.length === 0 ? (
        <p>
          Aucune feuille de route publiée ne fixe d'objectif chiffré sur cet indicateur pour ce territoire.{" "}
          <Link className={fr.cx("fr-link")} to="/feuilles-de-route">
            Voir les feuilles de route
          </Link>
        </p>
      ) : (
        <div className={fr.cx("fr-table", "fr-table--no-caption")}>
          <div className="fr-table__wrapper">
            <div className="fr-table__container">
              <div className="fr-table__content">
                <table>
                  <caption>Objectifs fixés sur cet indicateur</caption>
                  <thead>
                    <tr>
                      <th scope="col">Feuille de route</th>
                      <th scope="col">Objectif</th>
                      <th scope="col">Référence</th>
                      <th scope="col">Valeur actuelle</th>
                      <th scope="col">Attendu sur la trajectoire</th>
                      <th scope="col">Avancement</th>
                      <th scope="col">État</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dashboard.objectives.map((o) => {
                      const e = o.evaluation;
                      return (
                        <tr key={`${o.roadmap.id}-${o.objectiveId}`}>
                          <td>
                            <Link to={`/feuilles-de-route/${o.roadmap.slug}`}>{o.roadmap.title}</Link>
                          </td>
                          <td>
                            {o.label} : {COMPARATOR_TEXT[o.comparator]} {value(e.targetValue)} en{" "}
                            {e.targetYear}
                            {o.disaggregation ? ` (${disaggregationLabel(o.disaggregation)})` : ""}
                          </td>
                          <td>{e.baseline ? `${value(e.baseline.value)} (${e.baseline.year})` : "—"}</td>
                          <td>
                            {e.current ? `${value(e.current.value)} (${periodLabel(e.current.period)})` : "—"}
                          </td>
                          <td>{value(e.expected)}</td>
                          <td>
                            {e.progress === null ? (
                              "—"
                            ) : (
                              <ProgressBar
                                value={e.progress}
                                label={`Avancement vers l'objectif « ${o.label} »`}
                              />
                            )}
                          </td>
                          <td>
                            <ObjectiveStatusBadge status={e.status} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
