import { fr } from "@codegouvfr/react-dsfr";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import type { IndicatorCell } from "../../contracts/indicators.ts";
import { CellValue } from "./cells.tsx";
import {
  formatCoverage,
  type IndicatorPageParams,
  indicatorPath,
  nodeKey,
  type SortDirection,
  type SortKey,
  sortCells,
} from "./model.ts";

const COLUMNS: { key: SortKey; label: string; defaultDirection: SortDirection }[] = [
  { key: "name", label: "Territoire", defaultDirection: "ascending" },
  { key: "value", label: "Valeur", defaultDirection: "descending" },
  { key: "coverage", label: "Couverture", defaultDirection: "descending" },
];

const DIRECTION_TEXT: Record<SortDirection, string> = {
  ascending: "croissant",
  descending: "décroissant",
};

/**
 * The children of the territory, sortable by name, value or coverage (`aria-sort` on the sorted
 * column, the caption says the order). Suppressed cells read « secret statistique » and their reason.
 */
export function ChildrenTable({
  code,
  unit,
  childrenCells,
  title,
  params,
}: {
  code: string;
  unit: string;
  childrenCells: readonly IndicatorCell[];
  title: string;
  params: IndicatorPageParams;
}) {
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({
    key: "name",
    direction: "ascending",
  });
  const rows = useMemo(
    () => sortCells(childrenCells, sort.key, sort.direction),
    [childrenCells, sort.key, sort.direction],
  );
  const sortedBy = COLUMNS.find((column) => column.key === sort.key) as (typeof COLUMNS)[number];

  const onSort = (key: SortKey) => {
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === "ascending" ? "descending" : "ascending" }
        : { key, direction: COLUMNS.find((c) => c.key === key)?.defaultDirection ?? "ascending" },
    );
  };

  return (
    <div className={fr.cx("fr-table", "fr-table--bordered")}>
      <div className="fr-table__wrapper">
        <div className="fr-table__container">
          <div className="fr-table__content">
            <table className="vigie-children-table">
              <caption>
                {title} – trié par {sortedBy.label.toLowerCase()}, ordre {DIRECTION_TEXT[sort.direction]}
              </caption>
              <thead>
                <tr>
                  {COLUMNS.map((column) => (
                    <th
                      key={column.key}
                      scope="col"
                      aria-sort={sort.key === column.key ? sort.direction : undefined}
                    >
                      <button
                        type="button"
                        className="vigie-sort"
                        onClick={() => onSort(column.key)}
                        title={`Trier par ${column.label.toLowerCase()}`}
                      >
                        {column.label}
                        <span aria-hidden="true" className="vigie-sort__arrow">
                          {sort.key !== column.key ? "↕" : sort.direction === "ascending" ? "↑" : "↓"}
                        </span>
                      </button>
                    </th>
                  ))}
                  <th scope="col">Statut</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((cell) => (
                  <tr key={nodeKey(cell.node)}>
                    <th scope="row">
                      {cell.node.level === "school" ? (
                        cell.node.name
                      ) : (
                        <Link
                          to={indicatorPath(code, {
                            territory: nodeKey(cell.node),
                            period: params.period,
                            group: params.group,
                          })}
                        >
                          {cell.node.name}
                        </Link>
                      )}
                    </th>
                    <td>
                      <CellValue cell={cell} unit={unit} showReason={false} restrictedNote="non publiée" />
                    </td>
                    <td>{formatCoverage(cell)}</td>
                    <td>
                      {cell.status !== "published"
                        ? cell.statusLabel
                        : cell.value === null
                          ? "pas de donnée"
                          : "publiée"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
