/**
 * The contract between the import framework (reader, runner, commit job, routes, CLI) and its
 * profiles (pix-profiles, pix-assessment, pix-certification, usage, ips, dnb, ivac, enrolments,
 * generic). A profile is pure: it recognises a header, reads one row at a time into its own
 * state, and at the end turns that state into values and a summary. It never touches the
 * database, so that every profile is tested with fast-check without one, and so that personal
 * cells (names, first names, birth dates) never leave the row they were read from: a profile
 * keeps counts and, at most, a one-way key per pupil for de-duplication during the import.
 */

/** A rejection or warning, in French, naming the physical line and the column label. */
export interface RowIssue {
  readonly line: number;
  /** The column label as written in the file's header, or null when the whole line is at fault. */
  readonly column: string | null;
  readonly reason: string;
}

/** One column a profile reads, recognised by name (see framework/headers.ts). */
export interface ColumnSpec {
  /** The profile's own key for the column ("participantName", "shared"…). */
  readonly key: string;
  /** Labels of the column across versions of the service's export (matched tolerant to accents, case, apostrophes, spaces). */
  readonly labels: readonly string[];
  readonly required: boolean;
  /** A personal cell (name, first name, birth date…): read only to de-duplicate, never stored, never echoed in a message. */
  readonly personal?: boolean;
}

/**
 * Columns repeated per item (per CRCN competence: « Niveau pour la compétence {nom} »): the
 * pattern's first capture group is the item (the competence's name or code).
 */
export interface ColumnFamily {
  readonly key: string;
  readonly pattern: RegExp;
}

/** The header once matched: column key → index, family key → item → index, the labels as written. */
export interface MatchedHeader {
  readonly columns: ReadonlyMap<string, number>;
  readonly families: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly labels: readonly string[];
}

/** A school as the framework resolved it (UAI → id, académie), before the profile sees a row. */
export interface SchoolRef {
  readonly id: string;
  readonly uai: string;
  readonly academyCode: string;
  readonly type: string;
}

/** What the framework knows when a profile starts: options of the command or the upload. */
export interface ProfileContext {
  /** The school the whole file is about (`--school`, the user's single school, or asked in the web app) for files that name no UAI. */
  readonly school: SchoolRef | null;
  /** The period asked (`--period`), or null: the profile derives it from the rows (dates) or refuses. */
  readonly period: string | null;
  /** Today, as `AAAA-MM-JJ` (dates in the future are refused); injected for tests. */
  readonly today: string;
}

/** One value a profile produces, for the indicators' `writeSchoolValues`. */
export interface ProfileValue {
  /** UAI of the school (the framework resolves and scope-checks it; an unknown UAI is counted in `unknownUai`). */
  readonly uai: string;
  readonly dataElement: string;
  readonly period: string;
  /** Disaggregation options by disaggregation code ({ level: "troisieme", competence: "1.1" }); {} for the total. */
  readonly disaggregation: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The row as the framework hands it to a profile: cells already decoded, formula guard removed, trimmed. */
export interface ProfileRow {
  readonly line: number;
  readonly cells: readonly string[];
}

/** What one row gave: rejected (with the reasons) or accepted; `duplicate` when the profile recognised a repeated row. */
export type RowOutcome =
  | { readonly kind: "accepted"; readonly values?: readonly ProfileValue[] }
  | { readonly kind: "duplicate"; readonly issue: RowIssue }
  | { readonly kind: "rejected"; readonly issues: readonly RowIssue[] }
  /** A line with nothing to read (every cell missing): counted as read, neither accepted nor rejected. */
  | { readonly kind: "empty" };

/** The end of a file: the values the state aggregates to, and the profile's own summary for the report. */
export interface ProfileResult {
  readonly values: readonly ProfileValue[];
  readonly summary: Readonly<Record<string, number>>;
  /** Extra detail a profile stores in its own table (per-class Pix summaries…), JSON-safe and free of personal data. */
  readonly detail?: unknown;
}

/**
 * Finds a profile that is not in the registry: built at run time, like the generic profile of a
 * saved mapping (code `generic:<name of the mapping>`). Null when the code names none.
 */
export type ProfileResolver = (code: string) => Promise<Profile | null>;

/** The code of the generic profile read through the saved mapping `name`. */
export const genericProfileCode = (name: string): string => `generic:${name}`;

export interface Profile<State = unknown> {
  /** The profile's code, as in `vigie import <code>`. */
  readonly code: string;
  /** Its French name (« Pix Orga — collecte de profils »). */
  readonly label: string;
  readonly columns: readonly ColumnSpec[];
  readonly families?: readonly ColumnFamily[];
  /** The file names no UAI: the framework must give `context.school`. */
  readonly needsSchool: boolean;
  /**
   * Checks the matched header beyond required columns (say, at least one competence column);
   * returns the French reason when the file is not this profile's.
   */
  checkHeader?(header: MatchedHeader): string | null;
  start(context: ProfileContext, header: MatchedHeader): State;
  /** Reads one row. Values may be returned per row (usage) or only at `finish` (aggregating profiles). */
  row(state: State, row: ProfileRow): RowOutcome;
  finish(state: State): ProfileResult;
  /**
   * The values of several files of one school taken together, from their `detail`s (the stored
   * details of the school's earlier imports with this profile, plus this file's). Values are keyed
   * by element, period, school and breakdown: without this, a second Pix campaign file of the same
   * school and year (other classes, another level) would overwrite the first one's totals. A
   * profile that has it returns `combine([detail])` from `finish`; the framework writes
   * `combine(all details)` instead, and again without a rolled-back batch's detail.
   */
  combine?(details: readonly unknown[]): readonly ProfileValue[];
}
