/**
 * The name search's matching and order, on the schools held in memory (search-index.ts): pure,
 * so that its groups and its count are tested against a plain model (tests/unit).
 */

import type { NodeAddress } from "../../contracts/territory-tree.ts";
import { placeInTerritory, type SchoolTreePlace } from "./places.ts";

/** What the search reads of a school: its folded texts (migration 0008), its filters, its places. */
export interface IndexedSchool extends SchoolTreePlace {
  readonly id: string;
  readonly uai: string;
  /** `search_name`: the folded name. */
  readonly name: string;
  /** `search_text`: the folded name and commune. */
  readonly text: string;
  readonly type: string;
  readonly sector: string;
  readonly priorityEducation: string | null;
  readonly status: string;
  readonly academicRegionCode: string;
  readonly academyCode: string;
  readonly departmentCode: string;
  readonly bassinCode: string | null;
  readonly circonscriptionCode: string | null;
}

/** The list's filters, as `SchoolListQuery` gives them (`status: "all"` keeps both). */
export interface SearchFilters {
  readonly territory: NodeAddress;
  readonly type?: string | undefined;
  readonly sector?: string | undefined;
  readonly priorityEducation?: "REP" | "REP+" | "none" | undefined;
  readonly status: "open" | "closed" | "all";
}

export interface SearchWindow {
  /** Rows skipped (previous pages). */
  readonly offset: number;
  readonly pageSize: number;
  /** Matches beyond this many need not be counted (the caller tells « more than »). */
  readonly countCap: number;
}

export interface SearchMatches {
  /** The page's schools, in the search's order. */
  readonly page: readonly IndexedSchool[];
  /** Every match when at most `countCap`; otherwise some number above it. */
  readonly matched: number;
}

/**
 * The schools in list order, and for each trigram of their folded texts (three letters without
 * a space: a searched word has none) the positions of the schools that hold it, ascending. A
 * word of three letters or more is then looked for only in the schools of its rarest trigram.
 */
export interface SchoolNameIndex {
  readonly schools: readonly IndexedSchool[];
  readonly trigrams: ReadonlyMap<string, Int32Array>;
}

/** Builds a `SchoolNameIndex` school by school, so that a caller can pause between slices. */
export class NameIndexBuilder {
  private readonly schools: IndexedSchool[] = [];
  private readonly lists = new Map<string, number[]>();

  /** Adds the next school in list order. */
  add(school: IndexedSchool): void {
    const i = this.schools.length;
    this.schools.push(school);
    const text = school.text;
    for (let at = 0; at + 3 <= text.length; at++) {
      const trigram = text.slice(at, at + 3);
      if (trigram.includes(" ")) continue;
      let list = this.lists.get(trigram);
      if (!list) {
        list = [];
        this.lists.set(trigram, list);
      }
      if (list[list.length - 1] !== i) list.push(i);
    }
  }

  finish(): SchoolNameIndex {
    const trigrams = new Map<string, Int32Array>();
    for (const [trigram, list] of this.lists) trigrams.set(trigram, Int32Array.from(list));
    return { schools: this.schools, trigrams };
  }
}

export function buildNameIndex(schools: readonly IndexedSchool[]): SchoolNameIndex {
  const builder = new NameIndexBuilder();
  for (const school of schools) builder.add(school);
  return builder.finish();
}

const NO_SCHOOL = new Int32Array(0);

/** The positions to look at: those of the rarest trigram of the words, or every school (short words only). */
function candidates(index: SchoolNameIndex, words: readonly string[]): Int32Array | null {
  let rarest: Int32Array | null = null;
  for (const word of words) {
    for (let at = 0; at + 3 <= word.length; at++) {
      const trigram = word.slice(at, at + 3);
      if (trigram.includes(" ")) continue; // not indexed (a folded word has no space, but say so)
      const list = index.trigrams.get(trigram) ?? NO_SCHOOL;
      if (rarest === null || list.length < rarest.length) rarest = list;
    }
  }
  return rarest;
}

/** The list's filters, as `filteredSchools` in queries.ts applies them to the table. */
export function passesFilters(s: IndexedSchool, f: SearchFilters): boolean {
  if (f.status !== "all" && s.status !== f.status) return false;
  if (f.type !== undefined && s.type !== f.type) return false;
  if (f.sector !== undefined && s.sector !== f.sector) return false;
  if (f.priorityEducation === "none") {
    if (s.priorityEducation !== null) return false;
  } else if (f.priorityEducation !== undefined && s.priorityEducation !== f.priorityEducation) return false;
  return placeInTerritory(s, f.territory);
}

/** Every word is in `haystack` (plain loops: this runs for every school of every search). */
function holdsAll(haystack: string, words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) if (!haystack.includes(words[i] as string)) return false;
  return true;
}

/**
 * The schools that hold every word (folded) in their name or commune, in three groups, each in
 * list order: names that begin with the first word, then the other names that hold every word,
 * then the schools found by their commune only. `words` must not be empty. The count stops once
 * past `countCap` with the page known (the page's first group full).
 */
export function matchSchools(
  index: SchoolNameIndex,
  words: readonly string[],
  filters: SearchFilters,
  window: SearchWindow,
): SearchMatches {
  const end = window.offset + window.pageSize;
  const first = words[0] ?? "";
  const groups: IndexedSchool[][] = [[], [], []];
  const { schools } = index;
  const positions = candidates(index, words);
  const count = positions === null ? schools.length : positions.length;
  let matched = 0;
  for (let k = 0; k < count; k++) {
    const s = schools[positions === null ? k : (positions[k] as number)] as IndexedSchool;
    if (!holdsAll(s.text, words) || !passesFilters(s, filters)) continue;
    matched++;
    const group = !holdsAll(s.name, words) ? 2 : s.name.startsWith(first) ? 0 : 1;
    const list = groups[group] as IndexedSchool[];
    if (list.length < end) list.push(s);
    // The first group alone fills the page, and the count is past its cap: nothing further changes either.
    if (matched > window.countCap && (groups[0] as IndexedSchool[]).length >= end) break;
  }
  const page = groups.flat().slice(window.offset, end);
  return { page, matched };
}
