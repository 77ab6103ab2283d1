import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildNameIndex, type IndexedSchool, matchSchools, type SearchFilters } from "./search-match.ts";

/** Short texts over a small alphabet, so that words often match, begin names, or sit in communes only. */
const letters = fc.constantFrom("a", "b", "c", " ");
const text = fc.array(letters, { maxLength: 12 }).map((l) => l.join(""));

const school = fc.record({
  name: text,
  commune: text,
  type: fc.constantFrom("ecole", "college"),
  sector: fc.constantFrom("public", "private_contract"),
  priorityEducation: fc.constantFrom(null, "REP", "REP+"),
  status: fc.constantFrom("open", "closed"),
  academyCode: fc.constantFrom("04", "14"),
  departmentCode: fc.constantFrom("033", "035"),
  bassinCode: fc.constantFrom(null, "B1"),
  circonscriptionCode: fc.constantFrom(null, "C1"),
});

/** Schools in list order (folded name, then UAI), as the index keeps them. */
const schools = fc.array(school, { maxLength: 40 }).map((list) =>
  list
    .map(
      (s, i): IndexedSchool => ({
        id: String(i + 1),
        uai: `0${String(3300000 + i)}A`,
        name: s.name,
        text: `${s.name} ${s.commune}`,
        type: s.type,
        sector: s.sector,
        priorityEducation: s.priorityEducation,
        status: s.status,
        academicRegionCode: "R",
        academyCode: s.academyCode,
        departmentCode: s.departmentCode,
        bassinCode: s.bassinCode,
        circonscriptionCode: s.circonscriptionCode,
      }),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.uai < b.uai ? -1 : 1)),
);

const filters: fc.Arbitrary<SearchFilters> = fc.record({
  territory: fc.constantFrom(
    { level: "nation", code: "FR" },
    { level: "academy", code: "04" },
    { level: "department", code: "035" },
    { level: "district", code: "B1" },
    { level: "district", code: "C1" },
  ),
  type: fc.constantFrom(undefined, "ecole"),
  sector: fc.constantFrom(undefined, "public"),
  priorityEducation: fc.constantFrom(undefined, "REP", "none"),
  status: fc.constantFrom("open", "closed", "all"),
});

/** Words of one to four letters: the short ones are looked for in every school, the others through their trigrams. */
const words = fc.array(fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 3,
});

/** The search as its contract states it: filter, rank each match by group, sort, cut a page. */
function model(
  list: readonly IndexedSchool[],
  ws: readonly string[],
  f: SearchFilters,
  offset: number,
  size: number,
) {
  const inTerritory = (s: IndexedSchool) =>
    f.territory.level === "nation" ||
    (f.territory.level === "academy" && s.academyCode === f.territory.code) ||
    (f.territory.level === "department" && s.departmentCode === f.territory.code) ||
    (f.territory.level === "district" &&
      (s.bassinCode === f.territory.code || s.circonscriptionCode === f.territory.code));
  const kept = list
    .map((s, position) => ({ s, position }))
    .filter(({ s }) => f.status === "all" || s.status === f.status)
    .filter(({ s }) => f.type === undefined || s.type === f.type)
    .filter(({ s }) => f.sector === undefined || s.sector === f.sector)
    .filter(({ s }) =>
      f.priorityEducation === undefined
        ? true
        : f.priorityEducation === "none"
          ? s.priorityEducation === null
          : s.priorityEducation === f.priorityEducation,
    )
    .filter(({ s }) => inTerritory(s))
    .filter(({ s }) => ws.every((w) => s.text.includes(w)));
  const group = (s: IndexedSchool) =>
    ws.every((w) => s.name.includes(w)) ? (s.name.startsWith(ws[0] as string) ? 0 : 1) : 2;
  const ranked = kept.sort((a, b) => group(a.s) - group(b.s) || a.position - b.position);
  return { uais: ranked.slice(offset, offset + size).map((r) => r.s.uai), matched: kept.length };
}

describe("name search matching", () => {
  it("gives the page and the count of the contract's order, whatever the schools, words and filters (property)", () => {
    fc.assert(
      fc.property(
        schools,
        words,
        filters,
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 20 }),
        (list, raw, f, offset, pageSize, countCap) => {
          const ws = raw.map((w) => w.join(""));
          const got = matchSchools(buildNameIndex(list), ws, f, { offset, pageSize, countCap });
          const want = model(list, ws, f, offset, pageSize);
          expect(got.page.map((s) => s.uai)).toEqual(want.uais);
          // Counted exactly up to the cap; past it, only « more than the cap » is promised.
          if (want.matched <= countCap) expect(got.matched).toBe(want.matched);
          else expect(got.matched).toBeGreaterThan(countCap);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("lists names that begin with the first word, then other names, then communes only", () => {
    const base = { type: "ecole", sector: "public", priorityEducation: null, status: "open" };
    const place = {
      academicRegionCode: "R",
      academyCode: "04",
      departmentCode: "033",
      bassinCode: null,
      circonscriptionCode: null,
    };
    const at = (uai: string, name: string, commune: string): IndexedSchool => ({
      id: uai,
      uai,
      name,
      text: `${name} ${commune}`,
      ...base,
      ...place,
    });
    const list = [
      at("1", "ecole jaures", "brest"),
      at("2", "ecole pasteur", "jaures"),
      at("3", "groupe scolaire jaures", "rennes"),
      at("5", "jaures", "quimper"),
      at("4", "lycee", "brest"),
    ];
    const f: SearchFilters = { territory: { level: "nation", code: "FR" }, status: "open" };
    const index = buildNameIndex(list);
    const window = { offset: 0, pageSize: 10, countCap: 200 };
    const got = matchSchools(index, ["jaures"], f, window);
    expect(got.page.map((s) => s.uai)).toEqual(["5", "1", "3", "2"]);
    expect(
      matchSchools(index, ["jaures"], f, { ...window, offset: 1, pageSize: 2 }).page.map((s) => s.uai),
    ).toEqual(["1", "3"]);
    const ecole = matchSchools(index, ["ecole", "jaures"], f, window);
    expect(ecole.page.map((s) => s.uai)).toEqual(["1", "2"]);
    expect(ecole.matched).toBe(2);
    // A trigram twice in one name still finds the school once.
    const twice = buildNameIndex([at("6", "ecole ecole", "brest")]);
    expect(matchSchools(twice, ["eco"], f, window)).toMatchObject({ matched: 1, page: [{ uai: "6" }] });
    // A word none of whose trigrams is held: nothing, without looking at any school.
    expect(matchSchools(index, ["xyz"], f, window)).toEqual({ page: [], matched: 0 });
  });
});
