import { codeCell, countCell, dateCell, decimalCell, flagCell, textCell } from "../../platform/index.ts";
import { checkUai, normalizeDepartmentCode, normalizeUai } from "../codes.ts";
import { departmentByCode, FORMER_ACADEMY_CODES } from "../referential.ts";
import type { SchoolRecord } from "../school-record.ts";
import { priorityEducationOf, schoolSectorOf, schoolTypeOf, simplify } from "./classify.ts";
import { type AnnuaireField, columnLabel, type ResolvedColumns } from "./columns.ts";
import { districtOf } from "./districts.ts";
import { checkRowShape } from "./row-shape.ts";
import { flatCopy, type StringPool } from "./string-pool.ts";
import type { WarningCounter } from "./warnings.ts";

export interface RowRejection {
  line: number;
  uai: string;
  column?: string;
  reason: string;
}

export type RowResult = { ok: true; record: SchoolRecord } | { ok: false; rejection: RowRejection };

/**
 * One data row of the Annuaire → a SchoolRecord, or the reason it cannot be imported. A row is
 * rejected only when it cannot identify or place a school (cell count or a cell of the wrong shape
 * for its column, i.e. a shifted row — see row-shape.ts —, UAI, département); any
 * other oddity (a bad date, coordinates out of range) empties that value and is counted in the
 * warnings, because losing a whole school for a bad date would be worse.
 */
export function mapAnnuaireRow(
  cells: readonly string[],
  line: number,
  columns: ResolvedColumns,
  warnings: WarningCounter,
  pool: StringPool,
): RowResult {
  const cell = (field: AnnuaireField): string | undefined => {
    const i = columns.index[field];
    return i === undefined ? undefined : cells[i];
  };
  const rawUai = normalizeUai(cell("uai") ?? "");
  const reject = (reason: string, field?: AnnuaireField): RowResult => ({
    ok: false,
    rejection: { line, uai: rawUai, reason, ...(field ? { column: columnLabel(columns, field) } : {}) },
  });

  // A row with a cell too many or too few is refused before its UAI is read: its UAI may be
  // right while every cell after the shift is in the wrong column.
  const misaligned = checkRowShape(cells, columns);
  if (misaligned && misaligned.column === undefined) return reject(misaligned.reason);
  const uaiCheck = checkUai(cell("uai"));
  if (!uaiCheck.ok) return reject(uaiCheck.reason, "uai");
  if (misaligned) return { ok: false, rejection: { line, uai: rawUai, ...misaligned } };
  const uai = flatCopy(uaiCheck.uai);

  const departmentCell = codeCell(cell("departmentCode"));
  let departmentCode = normalizeDepartmentCode(departmentCell);
  if (departmentCell === null) {
    // The first three digits of a UAI are its département: a fair guess when the cell is empty.
    departmentCode = normalizeDepartmentCode(uai.slice(0, 3));
    warnings.row(
      "department-from-uai",
      "Code département vide : déduit des trois premiers chiffres de l'UAI",
      line,
    );
  }
  const department = departmentCode ? departmentByCode.get(departmentCode) : undefined;
  if (!department) {
    return departmentCell === null
      ? reject("Département manquant", "departmentCode")
      : reject(`Département « ${departmentCell} » inconnu`, "departmentCode");
  }

  const academyCell = codeCell(cell("academyCode"));
  if (academyCell !== null) {
    const code = academyCell.padStart(2, "0");
    if ((FORMER_ACADEMY_CODES[code] ?? code) !== department.academyCode) {
      warnings.row(
        `academy-mismatch-${academyCell}-${department.code}`,
        `Code académie « ${academyCell} » différent de celui du département ${department.code} (${department.academyCode}) : le référentiel l'emporte`,
        line,
      );
    }
  }

  let name = textCell(cell("name"));
  if (name === null) {
    name = `Établissement ${uai}`;
    warnings.row("no-name", "Nom d'établissement vide : l'UAI en tient lieu", line);
  }

  const natureCode = pool.shared(codeCell(cell("natureCode")));
  const type = schoolTypeOf({
    natureCode,
    typeLabel: textCell(cell("typeLabel")),
    nursery: flagCell(cell("nurseryFlag")),
    elementary: flagCell(cell("elementaryFlag")),
  });
  const sector = schoolSectorOf({
    publicPrivate: textCell(cell("publicPrivate")),
    contractCode: codeCell(cell("contractCode")),
    contractLabel: textCell(cell("contractLabel")),
  });

  const { latitude, longitude } = coordinates(cell, line, warnings);

  const date = (field: "openedOn" | "sourceUpdatedOn", label: string): string | null => {
    const value = dateCell(cell(field));
    if (value !== "invalid") return pool.shared(value);
    warnings.row(`bad-${field}`, `${label} illisible, laissée vide`, line);
    return null;
  };

  let pupils: number | null = null;
  if (columns.index.pupils !== undefined) {
    const count = countCell(cell("pupils"));
    if (count === "invalid") warnings.row("bad-pupils", "Nombre d'élèves illisible, laissé vide", line);
    else pupils = count;
  }

  return {
    ok: true,
    record: {
      uai,
      name: flatCopy(name),
      type,
      natureCode,
      natureLabel: pool.shared(textCell(cell("natureLabel"))),
      sector,
      priorityEducation: priorityEducationOf(codeCell(cell("priorityEducation"))),
      communeCode: pool.shared(codeCell(cell("communeCode"))),
      communeName: pool.shared(textCell(cell("communeName"))),
      postalCode: pool.shared(codeCell(cell("postalCode"))),
      latitude,
      longitude,
      departmentCode: department.code,
      academyCode: department.academyCode,
      academicRegionCode: department.academicRegionCode,
      bassin: districtOf(
        "bassin",
        department.code,
        codeCell(cell("bassinCode")),
        textCell(cell("bassinName")),
        pool,
      ),
      circonscription: districtOf(
        "circonscription",
        department.code,
        codeCell(cell("circonscriptionCode")),
        textCell(cell("circonscriptionName")),
        pool,
      ),
      // `A FERMER` is still open: only `FERME` closes a school.
      status: simplify(cell("state") ?? "") === "ferme" ? "closed" : "open",
      openedOn: date("openedOn", "Date d'ouverture"),
      pupils,
      sourceUpdatedOn: date("sourceUpdatedOn", "Date de mise à jour"),
    },
  };
}

/** Latitude and longitude from their columns, or from `position` ("lat, lon") when they are empty. */
function coordinates(
  cell: (field: AnnuaireField) => string | undefined,
  line: number,
  warnings: WarningCounter,
): { latitude: number | null; longitude: number | null } {
  let latitude = decimalCell(cell("latitude"));
  let longitude = decimalCell(cell("longitude"));
  if (latitude === null && longitude === null) {
    const parts = (cell("position") ?? "").split(/,\s+|\s*;\s*/);
    if (parts.length === 2) {
      latitude = decimalCell(parts[0]);
      longitude = decimalCell(parts[1]);
    }
  }
  const valid = (value: number | null | "invalid", limit: number): number | null => {
    if (value === null) return null;
    if (value !== "invalid" && Math.abs(value) <= limit) return value;
    warnings.row("bad-coordinates", "Coordonnées illisibles ou hors limites, laissées vides", line);
    return null;
  };
  return { latitude: valid(latitude, 90), longitude: valid(longitude, 180) };
}
