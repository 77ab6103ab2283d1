import type { IndicatorCell, NodeLevel } from "../../../contracts/indicators.ts";
// The territorial referential is pure data (no I/O): the map reads académies and régions
// académiques as unions of départements from the same table as the server.
import { ACADEMIES, DEPARTMENTS } from "../../../contracts/referential.ts";
import { DROM_DEPARTMENTS, METRO_DEPARTMENTS, METRO_VIEW_BOX } from "./france-paths.ts";

/** Guadeloupe, Martinique, Guyane, La Réunion, Mayotte. */
export const DROM_CODES = ["971", "972", "973", "974", "976"] as const;

export const DROM_NAMES: Record<(typeof DROM_CODES)[number], string> = {
  "971": "Guadeloupe",
  "972": "Martinique",
  "973": "Guyane",
  "974": "La Réunion",
  "976": "Mayotte",
};

/** The map shows the children of the nation, a région académique or an académie. */
export function hasMap(level: NodeLevel): boolean {
  return level === "nation" || level === "academicRegion" || level === "academy";
}

/** The départements a territory is made of (académies and régions académiques are unions). */
export function departmentsOf(level: NodeLevel, code: string): string[] {
  switch (level) {
    case "nation":
      return DEPARTMENTS.map((d) => d.code);
    case "academicRegion":
      return DEPARTMENTS.filter((d) => d.academicRegionCode === code).map((d) => d.code);
    case "academy":
      return [...(ACADEMIES.find((a) => a.code === code)?.departmentCodes ?? [])];
    case "department":
      return DEPARTMENTS.some((d) => d.code === code) ? [code] : [];
    default:
      return [];
  }
}

/** Each département drawn on the map → the child cell it belongs to. */
export function cellsByDepartment(children: readonly IndicatorCell[]): Map<string, IndicatorCell> {
  const map = new Map<string, IndicatorCell>();
  for (const child of children) {
    for (const department of departmentsOf(child.node.level, child.node.code)) map.set(department, child);
  }
  return map;
}

export interface MapLayout {
  /** The metropolitan départements to draw, and the viewBox that frames them; null if none. */
  metro: { codes: string[]; viewBox: string } | null;
  /** The DROM to draw, each in its own box. */
  drom: string[];
}

/** What to draw for a territory: its départements, framed (the whole of France for the nation). */
export function mapLayout(level: NodeLevel, code: string): MapLayout {
  const departments = departmentsOf(level, code);
  const drom = DROM_CODES.filter((c) => departments.includes(c));
  const metroCodes = departments.filter((c) => c in METRO_DEPARTMENTS);
  if (metroCodes.length === 0) return { metro: null, drom };
  if (level === "nation") return { metro: { codes: metroCodes, viewBox: METRO_VIEW_BOX }, drom };
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const c of metroCodes) {
    const [x0, y0, x1, y1] = (METRO_DEPARTMENTS[c] as { box: readonly number[] }).box as [
      number,
      number,
      number,
      number,
    ];
    minX = Math.min(minX, x0);
    minY = Math.min(minY, y0);
    maxX = Math.max(maxX, x1);
    maxY = Math.max(maxY, y1);
  }
  const margin = Math.max(maxX - minX, maxY - minY) * 0.04;
  const box = [minX - margin, minY - margin, maxX - minX + 2 * margin, maxY - minY + 2 * margin];
  return { metro: { codes: metroCodes, viewBox: box.map((v) => Math.round(v)).join(" ") }, drom };
}

/** Where to write a child's name and value on the map: the centre of its départements' box. */
export function labelAnchor(child: IndicatorCell): { x: number; y: number } | null {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const department of departmentsOf(child.node.level, child.node.code)) {
    const shape = METRO_DEPARTMENTS[department];
    if (!shape) continue;
    minX = Math.min(minX, shape.box[0]);
    minY = Math.min(minY, shape.box[1]);
    maxX = Math.max(maxX, shape.box[2]);
    maxY = Math.max(maxY, shape.box[3]);
  }
  if (!Number.isFinite(minX)) return null;
  return { x: (minX + maxX) / 2, y: (minY + maxY) / 2 };
}

/** Labels are written on the map when there are few children (not at the nation's level). */
export const MAX_LABELLED_CHILDREN = 12;

export function dromShape(code: string) {
  return DROM_DEPARTMENTS[code];
}

export function metroShape(code: string) {
  return METRO_DEPARTMENTS[code];
}
