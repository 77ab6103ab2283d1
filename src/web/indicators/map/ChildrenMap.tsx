import { fr } from "@codegouvfr/react-dsfr";
import { useId } from "react";
import type { IndicatorCell, NodeLevel } from "../../../contracts/indicators.ts";
import { nodeKey } from "../../../contracts/territory-tree.ts";
import {
  type ColourClass,
  cellDisplay,
  classLabel,
  classOf,
  colourClasses,
  formatValue,
  shownValue,
} from "../model.ts";
import { MAP_SOURCE } from "./france-paths.ts";
import {
  cellsByDepartment,
  DROM_NAMES,
  dromShape,
  labelAnchor,
  MAX_LABELLED_CHILDREN,
  mapLayout,
  metroShape,
} from "./map-data.ts";

/** Fill class of a département: a value class (0…3), secret statistique, or no data. */
type Fill = { kind: "class"; index: number } | { kind: "secret" } | { kind: "missing" };

function fillOf(cell: IndicatorCell | undefined, classes: readonly ColourClass[]): Fill {
  if (!cell) return { kind: "missing" };
  const value = shownValue(cell);
  const index = classOf(value, classes);
  if (index !== null) return { kind: "class", index };
  return cell.status === "published" ? { kind: "missing" } : { kind: "secret" };
}

function fillName(fill: Fill): string {
  return fill.kind === "class" ? `c${fill.index}` : fill.kind;
}

/** Patterns drawn over the colours: a different texture per class, so colour is not alone. */
function Patterns({ prefix }: { prefix: string }) {
  return (
    <defs>
      <pattern id={`${prefix}-c1`} width="8" height="8" patternUnits="userSpaceOnUse">
        <rect width="8" height="8" className="vigie-map__bg-c1" />
        <circle cx="4" cy="4" r="1.3" className="vigie-map__ink-dark" />
      </pattern>
      <pattern
        id={`${prefix}-c2`}
        width="8"
        height="8"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="8" height="8" className="vigie-map__bg-c2" />
        <line x1="0" y1="0" x2="0" y2="8" className="vigie-map__hatch-light" />
      </pattern>
      <pattern
        id={`${prefix}-c3`}
        width="8"
        height="8"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="8" height="8" className="vigie-map__bg-c3" />
        <line x1="0" y1="0" x2="0" y2="8" className="vigie-map__hatch-light" />
        <line x1="0" y1="4" x2="8" y2="4" className="vigie-map__hatch-light" />
      </pattern>
      <pattern
        id={`${prefix}-secret`}
        width="10"
        height="10"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(-45)"
      >
        <rect width="10" height="10" className="vigie-map__bg-secret" />
        <line x1="0" y1="0" x2="0" y2="10" className="vigie-map__hatch-dark" />
      </pattern>
    </defs>
  );
}

function fillAttribute(prefix: string, fill: Fill): string | undefined {
  if (fill.kind === "class" && fill.index > 0) return `url(#${prefix}-c${fill.index})`;
  if (fill.kind === "secret") return `url(#${prefix}-secret)`;
  return undefined;
}

function Swatch({ prefix, fill }: { prefix: string; fill: Fill }) {
  return (
    <svg width="28" height="18" viewBox="0 0 28 18" aria-hidden="true" focusable="false">
      <rect
        x="0.5"
        y="0.5"
        width="27"
        height="17"
        className={`vigie-map__area vigie-map__area--${fillName(fill)}`}
        fill={fillAttribute(prefix, fill)}
      />
    </svg>
  );
}

/**
 * The children of a territory on a map of its départements (the five DROM in their own boxes):
 * académies and régions académiques are drawn as the union of their départements. Each class of
 * values has its own colour and texture; the legend names them; the table beside has the figures.
 */
export function ChildrenMap({
  level,
  code,
  territoryName,
  childrenCells,
  unit,
  childrenTitle,
}: {
  level: NodeLevel;
  code: string;
  territoryName: string;
  childrenCells: readonly IndicatorCell[];
  unit: string;
  childrenTitle: string;
}) {
  const prefix = `carte${useId().replace(/[^a-zA-Z0-9]/g, "")}`;
  const layout = mapLayout(level, code);
  const byDepartment = cellsByDepartment(childrenCells);
  const values = childrenCells.map(shownValue).filter((v): v is number => v !== null);
  const classes = colourClasses(values, 4);
  const fills: Fill[] = [
    ...classes.map((c) => ({ kind: "class" as const, index: c.index })),
    { kind: "secret" },
    { kind: "missing" },
  ];
  const counts = new Map<string, number>();
  for (const cell of childrenCells) {
    const name = fillName(fillOf(cell, classes));
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const legendLabel = (fill: Fill) => {
    if (fill.kind === "class") return classLabel(classes[fill.index] as ColourClass, unit);
    return fill.kind === "secret" ? "secret statistique" : "pas de donnée";
  };

  const area = (department: string, d: string) => {
    const cell = byDepartment.get(department);
    const fill = fillOf(cell, classes);
    const display = cell ? cellDisplay(cell, unit) : null;
    return (
      <path
        key={department}
        d={d}
        className={`vigie-map__area vigie-map__area--${fillName(fill)}`}
        fill={fillAttribute(prefix, fill)}
        data-departement={department}
      >
        <title>{cell ? `${cell.node.name} : ${display?.text}` : "pas de donnée"}</title>
      </path>
    );
  };

  const described = `${prefix}-desc`;
  // Names and values written on the map when it has few children (at most a dozen).
  const labelled = level !== "nation" && childrenCells.length <= MAX_LABELLED_CHILDREN;
  const viewWidth = Number(layout.metro?.viewBox.split(" ")[2] ?? 1000);
  const fontSize = Math.max(6, Math.round(viewWidth / 30));
  return (
    <figure className="vigie-map" aria-labelledby={`${prefix}-caption`}>
      <div className="vigie-map__drawings">
        {layout.metro ? (
          <svg
            className="vigie-map__metro"
            viewBox={layout.metro.viewBox}
            role="img"
            aria-label={`Carte : ${childrenTitle.toLowerCase()} de ${territoryName}`}
            aria-describedby={described}
          >
            <Patterns prefix={prefix} />
            {layout.metro.codes.map((department) => {
              const shape = metroShape(department);
              return shape ? area(department, shape.d) : null;
            })}
            {labelled
              ? childrenCells.map((cell) => {
                  const anchor = labelAnchor(cell);
                  if (!anchor) return null;
                  return (
                    <text
                      key={nodeKey(cell.node)}
                      className="vigie-map__label"
                      x={anchor.x}
                      y={anchor.y}
                      fontSize={fontSize}
                      textAnchor="middle"
                    >
                      <tspan x={anchor.x}>{cell.node.name}</tspan>
                      <tspan x={anchor.x} dy="1.2em">
                        {cellDisplay(cell, unit).kind === "value" ? cellDisplay(cell, unit).text : "secret"}
                      </tspan>
                    </text>
                  );
                })
              : null}
          </svg>
        ) : (
          <svg width="0" height="0" aria-hidden="true" focusable="false" style={{ position: "absolute" }}>
            <Patterns prefix={prefix} />
          </svg>
        )}
        {layout.drom.length > 0 ? (
          <ul className="vigie-map__drom fr-raw-list">
            {layout.drom.map((department) => {
              const shape = dromShape(department);
              if (!shape) return null;
              const name = DROM_NAMES[department as keyof typeof DROM_NAMES];
              return (
                <li key={department}>
                  <svg viewBox={shape.viewBox} role="img" aria-label={`Carte : ${name}`}>
                    {area(department, shape.d)}
                  </svg>
                  <span className="vigie-map__drom-name" aria-hidden="true">
                    {name}
                    {byDepartment.get(department) ? (
                      <>
                        <br />
                        {cellDisplay(byDepartment.get(department) as IndicatorCell, unit).text}
                      </>
                    ) : null}
                  </span>
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
      <div className="vigie-map__legend">
        <p className={fr.cx("fr-text--sm", "fr-text--bold", "fr-mb-1w")} id={`${prefix}-legend`}>
          Légende
        </p>
        <ul className="fr-raw-list" aria-labelledby={`${prefix}-legend`}>
          {fills.map((fill) => (
            <li key={fillName(fill)} className="vigie-map__legend-item">
              <Swatch prefix={prefix} fill={fill} />
              <span>
                {legendLabel(fill)} ({counts.get(fillName(fill)) ?? 0})
              </span>
            </li>
          ))}
        </ul>
      </div>
      <figcaption id={`${prefix}-caption`} className={fr.cx("fr-text--sm", "fr-mt-1w")}>
        <span id={described}>
          Carte des {childrenTitle.toLowerCase()} de {territoryName} selon la valeur de l'indicateur
          {classes.length > 0
            ? ` (${classes.length} classe${classes.length > 1 ? "s" : ""} de ${formatValue(classes[0]?.min ?? 0, unit)} à ${formatValue(classes[classes.length - 1]?.max ?? 0, unit)})`
            : ""}
          : chaque classe a sa couleur et sa trame. Les valeurs sont dans le tableau ci-dessous.
        </span>{" "}
        Fond de carte : {MAP_SOURCE}.
      </figcaption>
    </figure>
  );
}
