import type { CompetencesDashboard } from "../../contracts/competences.ts";
import type { IndicatorCell } from "../../contracts/indicators.ts";
import { csvDocument, loadExcel } from "../platform/index.ts";

/**
 * The competences dashboard as a table, one line per figure: the headlines over the school
 * years, then every cell of the heat maps. A hidden cell is exported hidden (empty value, its
 * status), never with its figures.
 */

export const EXPORT_HEADER = [
  "tableau",
  "indicateur",
  "competence",
  "territoire_niveau",
  "territoire_code",
  "territoire_nom",
  "periode",
  "ventilation",
  "valeur",
  "numerateur",
  "denominateur",
  "cible",
  "statut",
] as const;

type Line = (string | number | null)[];

function line(
  table: string,
  competence: string,
  cell: IndicatorCell,
  indicator: string,
  target: number | null,
): Line {
  const shown = cell.status === "published" || cell.restricted;
  return [
    table,
    indicator,
    competence,
    cell.node.level,
    cell.node.code,
    cell.node.name,
    cell.period,
    cell.disaggregation,
    shown ? cell.value : null,
    shown ? cell.numerator : null,
    shown ? cell.denominator : null,
    target,
    cell.statusLabel,
  ];
}

export function dashboardLines(d: CompetencesDashboard): Line[] {
  const lines: Line[] = [];
  for (const h of d.headlines)
    for (const cell of h.series) lines.push(line(h.label, "", cell, h.indicator, h.target));
  for (const map of d.heatMaps)
    for (const row of map.rows)
      for (const cell of [row.territory, ...row.cells])
        lines.push(line(map.label, row.competence, cell, map.indicator, map.targetLevel));
  return lines;
}

export function dashboardCsv(d: CompetencesDashboard): string {
  return csvDocument(EXPORT_HEADER, dashboardLines(d));
}

export async function dashboardXlsx(d: CompetencesDashboard): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const book = new ExcelJS.Workbook();
  book.creator = "Vigie";
  const sheet = book.addWorksheet("competences");
  sheet.columns = EXPORT_HEADER.map((h) => ({ header: h, key: h, width: 18 }));
  // Text cells are written as strings (never formulas): ExcelJS only makes a formula from an object.
  for (const l of dashboardLines(d)) sheet.addRow(l);
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
