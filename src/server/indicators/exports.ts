import type { IndicatorCell, ValuesResponse } from "../../contracts/indicators.ts";
import { csvDocument, loadExcel } from "../platform/index.ts";
import { NODE_LEVELS, LEVEL_LABELS as TREE_LEVEL_LABELS } from "../territories/index.ts";
import type { CatalogueIndicator } from "./catalogue.ts";

/**
 * Open-data exports of an indicator for a territory and its children: CSV (`;`, UTF-8 with BOM,
 * formula cells neutralised), XLSX, and the Table Schema that describes both (stable machine
 * column names, French titles).
 */

/** « académie »… in the exported files (the tree's labels, lower case). */
const LEVEL_LABELS: Record<string, string> = Object.fromEntries(
  NODE_LEVELS.map((level) => [level, TREE_LEVEL_LABELS[level].noun]),
);

export const EXPORT_FIELDS = [
  { name: "indicator_code", title: "Code de l'indicateur", type: "string" },
  { name: "period", title: "Période", type: "string" },
  { name: "group", title: "Groupe d'établissements ('' = tous)", type: "string" },
  { name: "disaggregation", title: "Ventilation ('' = total)", type: "string" },
  { name: "level", title: "Niveau", type: "string" },
  { name: "code", title: "Code du territoire ou UAI", type: "string" },
  { name: "name", title: "Nom", type: "string" },
  { name: "value", title: "Valeur", type: "number" },
  { name: "numerator", title: "Numérateur (somme)", type: "number" },
  { name: "denominator", title: "Dénominateur (somme)", type: "number" },
  { name: "schools_reporting", title: "Établissements ayant répondu", type: "integer" },
  { name: "schools_expected", title: "Établissements attendus", type: "integer" },
  { name: "coverage", title: "Couverture (0 à 1)", type: "number" },
  { name: "status", title: "Statut de diffusion", type: "string" },
  { name: "status_label", title: "Statut en clair", type: "string" },
] as const;

function row(code: string, c: IndicatorCell): unknown[] {
  return [
    code,
    c.period,
    c.group,
    c.disaggregation,
    LEVEL_LABELS[c.node.level] ?? c.node.level,
    c.node.code,
    c.node.name,
    c.value,
    c.numerator,
    c.denominator,
    c.schoolsReporting,
    c.schoolsExpected,
    c.coverage,
    c.status,
    c.statusLabel,
  ];
}

function rowsOf(data: ValuesResponse): unknown[][] {
  return [data.territory, ...(data.children ?? [])].map((c) => row(data.indicator.code, c));
}

export function valuesCsv(data: ValuesResponse): string {
  return csvDocument(
    EXPORT_FIELDS.map((f) => f.name),
    rowsOf(data),
  );
}

export async function valuesXlsx(data: ValuesResponse): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const book = new ExcelJS.Workbook();
  book.creator = "Vigie";
  const sheet = book.addWorksheet(data.indicator.code.slice(0, 31));
  sheet.columns = EXPORT_FIELDS.map((f) => ({
    header: f.title,
    key: f.name,
    width: f.type === "string" ? 24 : 14,
  }));
  for (const r of rowsOf(data)) {
    // Text cells are written as strings (never formulas): ExcelJS only makes a formula from an object.
    sheet.addRow(r.map((v) => (v === null ? null : v)));
  }
  sheet.getRow(1).font = { bold: true };
  const about = book.addWorksheet("À propos");
  about.addRows([
    ["Indicateur", data.indicator.name],
    ["Définition", data.indicator.definition],
    ["Unité", data.indicator.unit],
    ["Période", data.period],
    [
      "Secret statistique",
      `cellules masquées sous ${data.thresholds.minUnits} établissements ou ${data.thresholds.minPeople} personnes, ou dominées à plus de ${Math.round(data.thresholds.dominanceShare * 100)} % par un établissement`,
    ],
  ]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export function valuesTableSchema(indicator: CatalogueIndicator) {
  return {
    $schema: "https://specs.frictionlessdata.io/schemas/table-schema.json",
    name: `vigie-${indicator.code}`,
    title: indicator.name,
    description: `${indicator.definition} Valeur = Σ numérateur / Σ dénominateur × ${indicator.factor} (${indicator.unit}). Les cellules en secret statistique ont une valeur vide et un statut « suppressed-… ».`,
    fields: EXPORT_FIELDS.map((f) => ({
      name: f.name,
      title: f.title,
      type: f.type,
      ...(f.name === "status"
        ? {
            constraints: {
              enum: ["published", "suppressed-frequency", "suppressed-dominance", "suppressed-secondary"],
            },
          }
        : {}),
    })),
    missingValues: [""],
    primaryKey: ["indicator_code", "period", "group", "disaggregation", "level", "code"],
    dialect: { delimiter: ";", encoding: "utf-8" },
  };
}
