import { fr } from "@codegouvfr/react-dsfr";
import { useId } from "react";
import type { IndicatorCell } from "../../contracts/indicators.ts";
import { CellValue } from "./cells.tsx";
import {
  formatCoverageShort,
  formatValue,
  labelledPoints,
  niceMax,
  periodLabel,
  shownValue,
  trendSummary,
} from "./model.ts";

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { top: 28, right: 48, bottom: 40, left: 64 };

/**
 * The territory's value over the periods: an SVG line with a marker and a label at each point
 * (colour is not the only signal), a text alternative, and the same data as a table.
 */
export function TrendChart({
  series,
  unit,
  territoryName,
}: {
  series: readonly IndicatorCell[];
  unit: string;
  territoryName: string;
}) {
  const id = useId();
  const values = series.map(shownValue);
  const max = niceMax(Math.max(0, ...values.filter((v): v is number => v !== null)));
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left + (series.length < 2 ? innerWidth / 2 : (i * innerWidth) / (series.length - 1));
  const y = (v: number) => PAD.top + innerHeight - (v / max) * innerHeight;
  // Segments between consecutive published points (a suppressed period breaks the line).
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 1) segments.push(current.join(" "));
      current = [];
    } else current.push(`${current.length === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (current.length > 1) segments.push(current.join(" "));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => t * max);
  const summary = trendSummary(series, unit);
  // Every point is labelled up to 6 periods; beyond, the first, last, lowest and highest.
  const labelled = labelledPoints(values);
  const axisStep = Math.ceil(series.length / 6);

  return (
    <figure className={fr.cx("fr-my-2w")} aria-labelledby={`${id}-caption`} style={{ margin: 0 }}>
      <svg
        className="vigie-chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>Évolution : {territoryName}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              className="vigie-chart__grid"
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
            />
            <text className="vigie-chart__axis" x={PAD.left - 8} y={y(tick) + 4} textAnchor="end">
              {formatValue(tick, unit === "%" ? "%" : "")}
            </text>
          </g>
        ))}
        {segments.map((d) => (
          <path key={d} className="vigie-chart__line" d={d} />
        ))}
        {series.map((cell, i) => {
          const v = values[i] ?? null;
          return (
            <g key={cell.period}>
              {i % axisStep === 0 || i === series.length - 1 ? (
                <text className="vigie-chart__axis" x={x(i)} y={HEIGHT - PAD.bottom + 20} textAnchor="middle">
                  {cell.period}
                </text>
              ) : null}
              {v === null ? (
                <text
                  className="vigie-chart__label"
                  x={x(i)}
                  y={PAD.top + innerHeight - 6}
                  textAnchor="middle"
                >
                  {cell.status === "published" ? "—" : "secret"}
                </text>
              ) : (
                <>
                  <circle className="vigie-chart__point" cx={x(i)} cy={y(v)} r={5} />
                  {labelled.has(i) ? (
                    <text className="vigie-chart__label" x={x(i)} y={y(v) - 10} textAnchor="middle">
                      {formatValue(v, unit === "%" ? "%" : "")}
                    </text>
                  ) : null}
                </>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption id={`${id}-caption`} className={fr.cx("fr-text--sm", "fr-mt-1w")}>
        Évolution de l'indicateur pour {territoryName}. {summary} Les mêmes données figurent dans le tableau
        ci-dessous.
      </figcaption>
      <div className={fr.cx("fr-table", "fr-table--no-caption", "fr-table--no-scroll", "fr-mt-2w")}>
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table className="vigie-compact-table">
                <caption>Données du graphique d'évolution : {territoryName}</caption>
                <thead>
                  <tr>
                    <th scope="col">Période</th>
                    <th scope="col">Valeur</th>
                    <th scope="col">Couverture</th>
                  </tr>
                </thead>
                <tbody>
                  {series.map((cell) => (
                    <tr key={cell.period}>
                      <th scope="row">{periodLabel(cell.period)}</th>
                      <td>
                        <CellValue cell={cell} unit={unit} />
                      </td>
                      <td>{formatCoverageShort(cell)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
    </figure>
  );
}
