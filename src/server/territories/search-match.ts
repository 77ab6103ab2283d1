/**
 * The name search's matching and order, on the schools held in memory (search-index.ts): pure,
 * so that its groups and its count are tested against a plain model (tests/unit).
 */

/** What the search reads of a school: its folded texts (migration 0008), its filters, its places. */
export interface IndexedSchool {
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
  readonly academicRegion: string;
  readonly academy: string;
  readonly department: string;
  readonly bassin: string | null;
  readonly circonscription: string | null;
}

/** The list's filters, as `SchoolListQuery` gives them (`status: "all"` keeps both). */
export interface SearchFilters {
  readonly territory: { readonly level: string; readonly code: string };
  readonly type?: string | undefined;
  readonly sector?: string | undefined;
  readonly priorityEducation?: "REP" | "REP+" | "none" | undefined;
  readonly status: "open" | "closed" | "all";
}

export interface SearchWindow {
  /** Rows skipped (previous pages). */
  readonly offset: number;
  readonly pageSize: number;
}

export interface SearchMatches {
  /** The page's schools, in the search's order. */
  readonly page: readonly IndexedSchool[];
  /** Every match (the caller caps what it tells). */
  readonly matched: number;
}

function inTerritory(s: IndexedSchool, t: SearchFilters["territory"]): boolean {
  switch (t.level) {
    case "nation":
      return true;
    case "academicRegion":
      return s.academicRegion === t.code;
    case "academy":
      return s.academy === t.code;
    case "department":
      return s.department === t.code;
    case "district":
      return s.bassin === t.code || s.circonscription === t.code;
    default:
      return false;
  }
}

/** The list's filters, as `filteredSchools` in queries.ts applies them to the table. */
export function passesFilters(s: IndexedSchool, f: SearchFilters): boolean {
  if (f.status !== "all" && s.status !== f.status) return false;
  if (f.type !== undefined && s.type !== f.type) return false;
  if (f.sector !== undefined && s.sector !== f.sector) return false;
  if (f.priorityEducation === "none") {
    if (s.priorityEducation !== null) return false;
  } else if (f.priorityEducation !== undefined && s.priorityEducation !== f.priorityEducation) return false;
  return inTerritory(s, f.territory);
}

const holdsAll = (haystack: string, words: readonly string[]) => words.every((w) => haystack.includes(w));

/**
 * The schools that hold every word (folded) in their name or commune, in three groups, each in
 * the order of `schools` (list order): names that begin with the first word, then the other
 * names that hold every word, then the schools found by their commune only. `schools` must be
 * in list order; `words` must not be empty.
 */
export function matchSchools(
  schools: readonly IndexedSchool[],
  words: readonly string[],
  filters: SearchFilters,
  window: SearchWindow,
): SearchMatches {
  const end = window.offset + window.pageSize;
  const first = words[0] ?? "";
  const groups: IndexedSchool[][] = [[], [], []];
  let matched = 0;
  for (const s of schools) {
    if (!holdsAll(s.text, words) || !passesFilters(s, filters)) continue;
    matched++;
    const group = !holdsAll(s.name, words) ? 2 : s.name.startsWith(first) ? 0 : 1;
    const list = groups[group] as IndexedSchool[];
    if (list.length < end) list.push(s);
  }
  const page = groups.flat().slice(window.offset, end);
  return { page, matched };
}
