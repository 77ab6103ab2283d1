import { numberCell, yesNoCell } from "../../src/server/imports/framework/cells.ts";
import type { Profile, ProfileValue, RowOutcome } from "../../src/server/imports/framework/types.ts";

/**
 * Small profiles for the import framework's tests (never in PROFILES): `test-counts` reads one
 * row per school (UAI, pupils, equipped yes/no, levels per competence) and writes its pupils as
 * `computers` per row; `test-class` names no UAI (the school is given), aggregates its rows into
 * one value at the end and combines the files of one school (`combine`), like the Pix profiles.
 */

interface CountsState {
  period: string;
  seen: Set<string>;
  pupils: number;
  equipped: number;
  uaiColumn: number;
  pupilsColumn: number;
  equippedColumn: number | undefined;
  levels: ReadonlyMap<string, number>;
  labels: readonly string[];
}

export const countsProfile: Profile<CountsState> = {
  code: "test-counts",
  label: "Comptes de test",
  needsSchool: false,
  columns: [
    { key: "uai", labels: ["UAI", "Code UAI"], required: true },
    { key: "pupils", labels: ["Nombre d'élèves", "Effectif"], required: true },
    { key: "equipped", labels: ["Équipé (O/N)"], required: false },
  ],
  families: [{ key: "level", pattern: /^Niveau pour la compétence (.+)$/ }],
  start: (context, header) => ({
    period: context.period ?? "2024-2025",
    seen: new Set(),
    pupils: 0,
    equipped: 0,
    uaiColumn: header.columns.get("uai") as number,
    pupilsColumn: header.columns.get("pupils") as number,
    equippedColumn: header.columns.get("equipped"),
    levels: header.families.get("level") ?? new Map(),
    labels: header.labels,
  }),
  row(state, row): RowOutcome {
    const uai = row.cells[state.uaiColumn] ?? "";
    if (uai === "") return { kind: "empty" };
    const pupils = numberCell(row.cells[state.pupilsColumn]);
    const issues = [];
    if (pupils === "invalid" || pupils === null || pupils < 0)
      issues.push({
        line: row.line,
        column: state.labels[state.pupilsColumn] ?? null,
        reason: "nombre d'élèves illisible",
      });
    const equipped = state.equippedColumn === undefined ? null : yesNoCell(row.cells[state.equippedColumn]);
    if (equipped === "invalid")
      issues.push({
        line: row.line,
        column: state.labels[state.equippedColumn ?? 0] ?? null,
        reason: "ni Oui ni Non",
      });
    if (issues.length > 0) return { kind: "rejected", issues };
    if (state.seen.has(uai))
      return {
        kind: "duplicate",
        issue: { line: row.line, column: state.labels[state.uaiColumn] ?? null, reason: "UAI déjà lu" },
      };
    state.seen.add(uai);
    state.pupils += pupils as number;
    if (equipped === true) state.equipped++;
    const value: ProfileValue = {
      uai,
      dataElement: "computers",
      period: state.period,
      disaggregation: {},
      value: pupils as number,
    };
    return { kind: "accepted", values: [value] };
  },
  finish: (state) => ({
    values: [],
    summary: { schools: state.seen.size, pupils: state.pupils, equipped: state.equipped },
  }),
};

interface ClassState {
  uai: string;
  period: string;
  rows: number;
  byClass: Map<string, number>;
  classColumn: number | undefined;
}

export const classProfile: Profile<ClassState> = {
  code: "test-class",
  label: "Classes de test",
  needsSchool: true,
  columns: [
    { key: "name", labels: ["Nom du Participant"], required: true, personal: true },
    { key: "class", labels: ["Classe"], required: false },
    { key: "boards", labels: ["Tableaux"], required: true },
  ],
  start: (context, header) => ({
    uai: context.school?.uai ?? "",
    period: context.period ?? "2024-2025",
    rows: 0,
    byClass: new Map(),
    classColumn: header.columns.get("class"),
  }),
  row(state, row): RowOutcome {
    state.rows++;
    const name = state.classColumn === undefined ? "" : (row.cells[state.classColumn] ?? "");
    state.byClass.set(name, (state.byClass.get(name) ?? 0) + 1);
    return { kind: "accepted" };
  },
  finish(state) {
    const detail: ClassDetail = {
      uai: state.uai,
      period: state.period,
      classes: [...state.byClass]
        .map(([name, n]) => ({ name, participants: n }))
        .sort((x, y) => x.name.localeCompare(y.name)),
    };
    return {
      values: combineClasses([detail]),
      summary: { participants: state.rows, classes: state.byClass.size },
      detail,
    };
  },
  // Like the Pix profiles: several files of one school add up (their classes together).
  combine: (details) => combineClasses(details as ClassDetail[]),
};

interface ClassDetail {
  uai: string;
  period: string;
  classes: { name: string; participants: number }[];
}

function combineClasses(details: readonly ClassDetail[]): ProfileValue[] {
  const first = details[0];
  if (!first) return [];
  const total = details.reduce((sum, d) => sum + d.classes.reduce((n, c) => n + c.participants, 0), 0);
  return [
    {
      uai: first.uai,
      dataElement: "interactive_boards",
      period: first.period,
      disaggregation: {},
      value: total,
    },
  ];
}

export const TEST_PROFILES: readonly Profile[] = [countsProfile as Profile, classProfile as Profile];
