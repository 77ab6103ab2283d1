/**
 * The order of school lists as a person checks it (territories/queries.ts, `SORT_NAME`): the
 * name folded like SQL's `vigie_search_text` (case, accents and ligatures aside, hyphens and
 * apostrophes as spaces), compared character by character, then the UAI.
 */
export function schoolListKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/[Œœ]/g, "oe")
    .replace(/[Ææ]/g, "ae")
    .replace(/[-'’]/g, " ")
    .toLowerCase();
}

/** Sorts like the lists: by folded name, then UAI. */
export function byListOrder(a: { name: string; uai: string }, b: { name: string; uai: string }): number {
  const ka = schoolListKey(a.name);
  const kb = schoolListKey(b.name);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.uai < b.uai ? -1 : a.uai > b.uai ? 1 : 0;
}
