import { describe, expect, it } from "vitest";
import {
  CELL_STATUS_LABELS,
  NODE_LEVELS as CONTRACT_NODE_LEVELS,
  parseNodeKey as contractParseNodeKey,
  type IndicatorCell,
} from "../../contracts/indicators.ts";
import { DROM_DEPARTMENTS, METRO_DEPARTMENTS } from "./map/france-paths.ts";
import {
  cellsByDepartment,
  DROM_CODES,
  departmentsOf,
  hasMap,
  labelAnchor,
  mapLayout,
} from "./map/map-data.ts";
import {
  apiQuery,
  cellDisplay,
  classLabel,
  classOf,
  colourClasses,
  exportUrl,
  filterCatalogue,
  formatCoverage,
  formatCoverageShort,
  formatDifference,
  formatValue,
  indicatorPath,
  labelledPoints,
  NODE_LEVELS,
  niceMax,
  nodePhrase,
  parseIndicatorParams,
  parseNodeKey,
  periodKind,
  periodLabel,
  sameKindSeries,
  searchable,
  sortCells,
  suppressionReason,
  trendSummary,
  verdictOf,
  verdictSentence,
} from "./model.ts";

const NBSP = "\u00a0";
/** Intl's French thousands separator is a narrow no-break space. */
const norm = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

function cell(name: string, value: number | null, overrides: Partial<IndicatorCell> = {}): IndicatorCell {
  return {
    node: { level: "academy", code: name, name },
    period: "2024-2025",
    group: "",
    disaggregation: "",
    value,
    numerator: value,
    denominator: value === null ? null : 100,
    schoolsReporting: 8,
    schoolsExpected: 10,
    coverage: 0.8,
    status: "published",
    statusLabel: "publiée",
    restricted: false,
    ...overrides,
  };
}

const secret = (name: string, coverage = 0.1) =>
  cell(name, null, {
    status: "suppressed-frequency",
    statusLabel: CELL_STATUS_LABELS["suppressed-frequency"],
    coverage,
  });

describe("node keys", () => {
  it("has the contract's levels and parses like the contract, without zod", () => {
    expect(NODE_LEVELS).toEqual(CONTRACT_NODE_LEVELS);
    for (const raw of ["academy:16", "nation:FR", "school:0330001A", "planet:3", "academy:", ":16", "x"]) {
      expect(parseNodeKey(raw)).toEqual(contractParseNodeKey(raw));
    }
  });
});

describe("formatting", () => {
  it("writes values in French with their unit", () => {
    expect(formatValue(42.54, "%")).toBe(`42,5${NBSP}%`);
    expect(norm(formatValue(1234, "élèves"))).toBe("1 234 élèves");
    expect(formatValue(3, "")).toBe("3");
  });

  it("writes differences with a sign, in points for a percentage", () => {
    expect(formatDifference(2.5, "%")).toBe(`+2,5${NBSP}points`);
    expect(formatDifference(-1, "%")).toBe(`\u22121${NBSP}point`);
    expect(formatDifference(-3, "élèves")).toBe(`\u22123${NBSP}élèves`);
    expect(formatDifference(0, "%")).toBe(`0${NBSP}point`);
  });

  it("writes the coverage as « n établissements sur m, x % »", () => {
    expect(formatCoverage(cell("a", 1))).toBe(`8 établissements sur 10, 80${NBSP}%`);
    expect(formatCoverage({ schoolsReporting: 1, schoolsExpected: 3, coverage: null })).toBe(
      `1 établissement sur 3, 33${NBSP}%`,
    );
    expect(formatCoverage({ schoolsReporting: null, schoolsExpected: 3, coverage: null })).toBe(
      "3 établissements attendus, couverture masquée",
    );
    expect(formatCoverage({ schoolsReporting: null, schoolsExpected: null, coverage: null })).toBe(
      "couverture inconnue",
    );
  });

  it("shows « secret statistique » and the reason for a suppressed cell, the value when restricted", () => {
    expect(cellDisplay(secret("a"), "%")).toEqual({
      kind: "secret",
      text: "secret statistique",
      reason: "trop peu d'établissements ou de personnes",
    });
    expect(suppressionReason(secret("a"))).toBe("trop peu d'établissements ou de personnes");
    const restricted = cell("a", 12, { status: "suppressed-dominance", restricted: true });
    expect(cellDisplay(restricted, "%")).toMatchObject({ kind: "value", restricted: true });
    expect(cellDisplay(cell("a", null), "%")).toEqual({ kind: "missing", text: "pas de donnée" });
    expect(cellDisplay(cell("a", 50), "%")).toMatchObject({ kind: "value", restricted: false });
  });

  it("keeps the periods of the same kind in a series", () => {
    const series = ["2023-2024", "2024-09", "2024-2025", "2025-03", "2025"].map((period) => ({ period }));
    expect(sameKindSeries(series, "2024-2025").map((c) => c.period)).toEqual(["2023-2024", "2024-2025"]);
    expect(sameKindSeries(series, "2025-04").map((c) => c.period)).toEqual(["2024-09", "2025-03"]);
    expect(periodKind("2025-W10")).toBe("week");
    expect(periodKind("2025-03-04")).toBe("day");
  });

  it("names periods in French", () => {
    expect(periodLabel("2024-2025")).toBe("année scolaire 2024-2025");
    expect(periodLabel("2025")).toBe("année 2025");
    expect(periodLabel("2025-03")).toBe("mars 2025");
    expect(periodLabel("2025-W10")).toBe("semaine 10 de 2025");
    expect(periodLabel("2025-03-04")).toBe("2025-03-04");
  });
});

describe("verdicts", () => {
  it("follows the indicator's direction and says it in words", () => {
    expect(verdictOf("higher_is_better", 50, 40)).toBe("better");
    expect(verdictOf("higher_is_better", 30, 40)).toBe("worse");
    expect(verdictOf("lower_is_better", 30, 40)).toBe("better");
    expect(verdictOf("lower_is_better", 40, 40)).toBe("equal");
    expect(verdictOf("target", 30, 40)).toBeNull();
    expect(verdictOf("higher_is_better", null, 40)).toBeNull();
    expect(verdictSentence("better", "la France")).toBe("mieux que la France");
    expect(verdictSentence("worse", "la période précédente")).toBe("moins bien que la période précédente");
    expect(verdictSentence("equal", "la France")).toBe("égal à la France");
    expect(nodePhrase({ level: "academy", name: "Amiens" })).toBe("l'académie d'Amiens");
    expect(nodePhrase({ level: "academy", name: "Bordeaux" })).toBe("l'académie de Bordeaux");
  });
});

describe("sorting the children", () => {
  const cells = [cell("Poitiers", 30), secret("Limoges", 0.05), cell("Bordeaux", 55, { coverage: 0.5 })];
  const names = (list: IndicatorCell[]) => list.map((c) => c.node.name);

  it("sorts by name in French order", () => {
    expect(names(sortCells(cells, "name", "ascending"))).toEqual(["Bordeaux", "Limoges", "Poitiers"]);
    expect(names(sortCells(cells, "name", "descending"))).toEqual(["Poitiers", "Limoges", "Bordeaux"]);
    expect(
      names(sortCells([cell("Évreux", 1), cell("Eure", 1), cell("Zèbre", 1)], "name", "ascending")),
    ).toEqual(["Eure", "Évreux", "Zèbre"]);
  });

  it("sorts by value with suppressed cells last in both directions", () => {
    expect(names(sortCells(cells, "value", "ascending"))).toEqual(["Poitiers", "Bordeaux", "Limoges"]);
    expect(names(sortCells(cells, "value", "descending"))).toEqual(["Bordeaux", "Poitiers", "Limoges"]);
  });

  it("sorts by coverage", () => {
    expect(names(sortCells(cells, "coverage", "descending"))).toEqual(["Poitiers", "Bordeaux", "Limoges"]);
    expect(names(sortCells(cells, "coverage", "ascending"))).toEqual(["Limoges", "Bordeaux", "Poitiers"]);
  });

  it("does not change its input", () => {
    const copy = [...cells];
    sortCells(cells, "value", "ascending");
    expect(cells).toEqual(copy);
  });
});

describe("colour classes", () => {
  it("cuts the values into quantile classes with readable bounds", () => {
    const classes = colourClasses([10, 20, 30, 40, 50, 60, 70, 80], 4);
    expect(classes.map((c) => [c.min, c.max])).toEqual([
      [10, 20],
      [30, 40],
      [50, 60],
      [70, 80],
    ]);
    expect(classOf(10, classes)).toBe(0);
    expect(classOf(45, classes)).toBe(1);
    expect(classOf(80, classes)).toBe(3);
    expect(classOf(null, classes)).toBeNull();
    expect(classLabel(classes[0] as (typeof classes)[number], "%")).toBe(`de 10${NBSP}% à 20${NBSP}%`);
  });

  it("makes fewer classes when there are fewer distinct values, none without values", () => {
    expect(colourClasses([5, 5, 7], 4).map((c) => [c.min, c.max])).toEqual([
      [5, 5],
      [7, 7],
    ]);
    expect(colourClasses([], 4)).toEqual([]);
    expect(classOf(3, [])).toBeNull();
  });
});

describe("URL state", () => {
  it("reads and writes the territory, period and group", () => {
    const params = parseIndicatorParams(
      new URLSearchParams("territoire=academy:16&periode=2024-2025&groupe=sector%3Dpublic"),
    );
    expect(params).toEqual({ territory: "academy:16", period: "2024-2025", group: "sector=public" });
    expect(indicatorPath("pix_certified", params)).toBe(
      "/indicateurs/pix_certified?territoire=academy%3A16&periode=2024-2025&groupe=sector%3Dpublic",
    );
    expect(parseIndicatorParams(new URLSearchParams("territoire=planet:1"))).toEqual({
      territory: "nation:FR",
      period: undefined,
      group: "",
    });
    expect(indicatorPath("x", { territory: "nation:FR" })).toBe("/indicateurs/x");
  });

  it("builds the API and export queries", () => {
    const params = { territory: "academy:04", period: "2024-2025", group: "" };
    expect(apiQuery(params)).toBe("territory=academy%3A04&period=2024-2025");
    expect(exportUrl("ent_activation", "csv", params)).toBe(
      "/api/v1/indicators/ent_activation/values.csv?territory=academy%3A04&period=2024-2025&children=true",
    );
  });
});

describe("map data", () => {
  it("has outlines for the 101 départements, the five DROM included", () => {
    expect(Object.keys(METRO_DEPARTMENTS)).toHaveLength(96);
    expect(Object.keys(DROM_DEPARTMENTS).sort()).toEqual(["971", "972", "973", "974", "976"]);
    expect(DROM_CODES).toEqual(["971", "972", "973", "974", "976"]);
    expect(departmentsOf("nation", "FR")).toHaveLength(101);
    for (const code of departmentsOf("nation", "FR")) {
      expect(code in METRO_DEPARTMENTS || code in DROM_DEPARTMENTS, code).toBe(true);
    }
  });

  it("draws an académie as the union of its départements", () => {
    expect(departmentsOf("academy", "04")).toEqual(["24", "33", "40", "47", "64"]);
    expect(departmentsOf("academy", "28")).toEqual(["974"]);
    expect(departmentsOf("academicRegion", "75").sort()).toEqual(
      ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"].sort(),
    );
    const byDepartment = cellsByDepartment([
      { ...cell("Bordeaux", 55), node: { level: "academy", code: "04", name: "Bordeaux" } },
      { ...cell("Mayotte", 12), node: { level: "academy", code: "43", name: "Mayotte" } },
    ]);
    expect(byDepartment.get("33")?.node.name).toBe("Bordeaux");
    expect(byDepartment.get("64")?.node.name).toBe("Bordeaux");
    expect(byDepartment.get("976")?.node.name).toBe("Mayotte");
    expect(byDepartment.has("75")).toBe(false);
  });

  it("frames the nation with the five DROM, an académie on its départements, no map below", () => {
    const nation = mapLayout("nation", "FR");
    expect(nation.metro?.codes).toHaveLength(96);
    expect(nation.drom).toEqual(["971", "972", "973", "974", "976"]);
    const bordeaux = mapLayout("academy", "04");
    expect(bordeaux.metro?.codes).toEqual(["24", "33", "40", "47", "64"]);
    expect(bordeaux.drom).toEqual([]);
    const [, , width] = (bordeaux.metro?.viewBox ?? "").split(" ").map(Number);
    expect(width).toBeLessThan(400);
    expect(mapLayout("academy", "28")).toEqual({ metro: null, drom: ["974"] });
    expect(hasMap("academy")).toBe(true);
    expect(hasMap("department")).toBe(false);
    const gironde = {
      ...cell("Gironde", 1),
      node: { level: "department" as const, code: "33", name: "Gironde" },
    };
    const anchor = labelAnchor(gironde);
    const box = METRO_DEPARTMENTS["33"]?.box ?? [0, 0, 0, 0];
    expect(anchor?.x).toBeGreaterThan(box[0]);
    expect(anchor?.x).toBeLessThan(box[2]);
    expect(
      labelAnchor({ ...gironde, node: { level: "department", code: "974", name: "La Réunion" } }),
    ).toBeNull();
  });
});

describe("trend chart", () => {
  it("has a nice axis and a text summary", () => {
    expect(niceMax(42)).toBe(50);
    expect(niceMax(0)).toBe(1);
    expect(niceMax(120)).toBe(200);
    const series = [
      { ...cell("a", 30), period: "2022-2023" },
      { ...secret("a"), period: "2023-2024" },
      { ...cell("a", 42), period: "2024-2025" },
    ];
    expect(trendSummary(series, "%")).toBe(
      `De 2022-2023 à 2024-2025, la valeur passe de 30${NBSP}% à 42${NBSP}% (en hausse), sur 2 périodes publiées.`,
    );
    expect(trendSummary([secret("a")], "%")).toBe("Aucune valeur publiée sur la période.");
    expect([...labelledPoints([1, null, 3])]).toEqual([0, 2]);
    expect([...labelledPoints([5, 1, 7, 9, 2, 4, 6, 3])].sort()).toEqual([0, 1, 3, 7]);
    expect(formatCoverageShort(cell("a", 1))).toBe(`8 sur 10 (80${NBSP}%)`);
  });
});

describe("catalogue search", () => {
  it("matches every word, without accents or case", () => {
    const items = [
      { code: "pix", name: "Élèves certifiés Pix", definition: "Part des élèves", unit: "%", sources: [] },
      { code: "ent", name: "Activation de l'ENT", definition: "Établissements", unit: "%", sources: [] },
    ] as unknown as Parameters<typeof filterCatalogue>[0];
    expect(searchable("Élèves")).toBe("eleves");
    expect(filterCatalogue(items, "eleves pix").map((i) => i.code)).toEqual(["pix"]);
    expect(filterCatalogue(items, "ÉTABLISSEMENTS").map((i) => i.code)).toEqual(["ent"]);
    expect(filterCatalogue(items, "  ")).toHaveLength(2);
  });
});
