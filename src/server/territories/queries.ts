import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type {
  AcademyDto,
  SchoolDetail,
  SchoolListQuery,
  SchoolPage,
  SchoolSummary,
  TerritoryChild,
  TerritoryDetail,
  TerritoryLevel,
  TerritoryRef,
} from "../../contracts/territories.ts";
import { NATION_CODE, parseTerritoryKey } from "../../contracts/territory-tree.ts";
import type { Database } from "../platform/index.ts";
import type { SchoolRow } from "./schema.ts";
import { searchableSchools } from "./search-index.ts";
import { type IndexedSchool, matchSchools } from "./search-match.ts";

/** Read side of the territories module: the queries behind the territory browser and the API. */

type Db = Kysely<Database>;

const NATION: TerritoryRef = { level: "nation", code: "FR", name: "France" };

/** Column of `school` that holds a school's ancestor at each level (districts are two columns). */
const SCHOOL_COLUMN = {
  academicRegion: "academic_region_code",
  academy: "academy_code",
  department: "department_code",
} as const;

export async function listAcademies(db: Db): Promise<AcademyDto[]> {
  const rows = await db
    .selectFrom("academy as a")
    .innerJoin("academic_region as r", "r.code", "a.academic_region_code")
    .select(["a.code", "a.name", "r.code as regionCode", "r.name as regionName"])
    .orderBy("a.code")
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    academicRegion: { code: r.regionCode, name: r.regionName },
  }));
}

interface SchoolCounts {
  openSchools: number;
  closedSchools: number;
  pupils: number;
}

async function countSchools(db: Db, where: SchoolFilter): Promise<SchoolCounts> {
  const row = await applyTerritory(db.selectFrom("school"), where)
    .select([
      sql<number>`count(*) filter (where status = 'open')::int`.as("openSchools"),
      sql<number>`count(*) filter (where status = 'closed')::int`.as("closedSchools"),
      sql<number>`coalesce(sum(pupils) filter (where status = 'open'), 0)::int`.as("pupils"),
    ])
    .executeTakeFirstOrThrow();
  return { openSchools: row.openSchools, closedSchools: row.closedSchools, pupils: row.pupils };
}

type SchoolFilter = { level: TerritoryLevel; code: string };

/** Restricts a query on `school` to the schools of a territory (districts are two columns). */
function applyTerritory<O>(
  qb: SelectQueryBuilder<Database, "school", O>,
  t: SchoolFilter,
): SelectQueryBuilder<Database, "school", O> {
  if (t.level === "nation") return qb;
  if (t.level === "district") {
    return qb.where((eb) => eb.or([eb("bassin_code", "=", t.code), eb("circonscription_code", "=", t.code)]));
  }
  return qb.where(SCHOOL_COLUMN[t.level], "=", t.code);
}

async function openCountsBy(
  db: Db,
  column:
    | "academic_region_code"
    | "academy_code"
    | "department_code"
    | "bassin_code"
    | "circonscription_code",
  parent: SchoolFilter,
): Promise<Map<string, number>> {
  const rows = await applyTerritory(db.selectFrom("school"), parent)
    .where("status", "=", "open")
    .where(column, "is not", null)
    .select([sql<string>`${sql.ref(column)}`.as("code"), sql<number>`count(*)::int`.as("n")])
    .groupBy(column)
    .execute();
  return new Map(rows.map((r) => [r.code, r.n]));
}

async function ancestorsOf(db: Db, level: TerritoryLevel, code: string): Promise<TerritoryRef[] | undefined> {
  switch (level) {
    case "nation":
      return code === "FR" ? [] : undefined;
    case "academicRegion": {
      const r = await db
        .selectFrom("academic_region")
        .select("code")
        .where("code", "=", code)
        .executeTakeFirst();
      return r ? [NATION] : undefined;
    }
    case "academy": {
      const r = await db
        .selectFrom("academy as a")
        .innerJoin("academic_region as r", "r.code", "a.academic_region_code")
        .select(["r.code", "r.name"])
        .where("a.code", "=", code)
        .executeTakeFirst();
      return r ? [NATION, { level: "academicRegion", code: r.code, name: r.name }] : undefined;
    }
    case "department": {
      const r = await db
        .selectFrom("department as d")
        .innerJoin("academy as a", "a.code", "d.academy_code")
        .innerJoin("academic_region as r", "r.code", "d.academic_region_code")
        .select(["r.code as rc", "r.name as rn", "a.code as ac", "a.name as an"])
        .where("d.code", "=", code)
        .executeTakeFirst();
      return r
        ? [
            NATION,
            { level: "academicRegion", code: r.rc, name: r.rn },
            { level: "academy", code: r.ac, name: r.an },
          ]
        : undefined;
    }
    case "district": {
      const r = await db
        .selectFrom("district")
        .select("department_code")
        .where("code", "=", code)
        .executeTakeFirst();
      if (!r) return undefined;
      const up = (await ancestorsOf(db, "department", r.department_code)) ?? [];
      const dep = await db
        .selectFrom("department")
        .select(["code", "name"])
        .where("code", "=", r.department_code)
        .executeTakeFirstOrThrow();
      return [...up, { level: "department", code: dep.code, name: dep.name }];
    }
  }
}

async function nameOf(db: Db, level: TerritoryLevel, code: string): Promise<{ name: string; kind?: string }> {
  switch (level) {
    case "nation":
      return { name: NATION.name };
    case "academicRegion":
      return db
        .selectFrom("academic_region")
        .select("name")
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
    case "academy":
      return db.selectFrom("academy").select("name").where("code", "=", code).executeTakeFirstOrThrow();
    case "department":
      return db.selectFrom("department").select("name").where("code", "=", code).executeTakeFirstOrThrow();
    case "district":
      return db
        .selectFrom("district")
        .select(["name", "kind"])
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
  }
}

async function childrenOf(
  db: Db,
  t: SchoolFilter,
): Promise<{ childLevel: TerritoryLevel | null; children: TerritoryChild[] }> {
  const withCounts = (
    rows: { code: string; name: string; kind?: "bassin" | "circonscription" }[],
    level: TerritoryLevel,
    counts: Map<string, number>,
  ): TerritoryChild[] =>
    rows.map((r) => ({
      level,
      code: r.code,
      name: r.name,
      ...(r.kind ? { districtKind: r.kind } : {}),
      openSchools: counts.get(r.code) ?? 0,
    }));
  switch (t.level) {
    case "nation": {
      const rows = await db.selectFrom("academic_region").select(["code", "name"]).orderBy("name").execute();
      return {
        childLevel: "academicRegion",
        children: withCounts(rows, "academicRegion", await openCountsBy(db, "academic_region_code", t)),
      };
    }
    case "academicRegion": {
      const rows = await db
        .selectFrom("academy")
        .select(["code", "name"])
        .where("academic_region_code", "=", t.code)
        .orderBy("name")
        .execute();
      return {
        childLevel: "academy",
        children: withCounts(rows, "academy", await openCountsBy(db, "academy_code", t)),
      };
    }
    case "academy": {
      const rows = await db
        .selectFrom("department")
        .select(["code", "name"])
        .where("academy_code", "=", t.code)
        .orderBy("code")
        .execute();
      return {
        childLevel: "department",
        children: withCounts(rows, "department", await openCountsBy(db, "department_code", t)),
      };
    }
    case "department": {
      const rows = await db
        .selectFrom("district")
        .select(["code", "name", "kind"])
        .where("department_code", "=", t.code)
        .orderBy("kind")
        .orderBy("name")
        .execute();
      const counts = new Map([
        ...(await openCountsBy(db, "bassin_code", t)),
        ...(await openCountsBy(db, "circonscription_code", t)),
      ]);
      return { childLevel: "district", children: withCounts(rows, "district", counts) };
    }
    case "district":
      return { childLevel: null, children: [] };
  }
}

/** A territory with its ancestors, children and school counts; undefined when it does not exist. */
export async function getTerritory(
  db: Db,
  level: TerritoryLevel,
  code: string,
): Promise<TerritoryDetail | undefined> {
  const ancestors = await ancestorsOf(db, level, code);
  if (!ancestors) return undefined;
  const t = { level, code };
  const [{ name, kind }, counts, { childLevel, children }] = await Promise.all([
    nameOf(db, level, code),
    countSchools(db, t),
    childrenOf(db, t),
  ]);
  return {
    level,
    code,
    name,
    ...(kind ? { districtKind: kind as "bassin" | "circonscription" } : {}),
    ancestors,
    childLevel,
    children,
    ...counts,
  };
}

/** Parses `FR`, `nation:FR` or `level:code` (the `territory` query parameter, checked by its schema). */
export function parseTerritoryParam(raw: string | undefined): SchoolFilter {
  return (raw ? parseTerritoryKey(raw) : null) ?? { level: "nation", code: NATION_CODE };
}

const UAI_PREFIX = /^\d{1,7}[A-Za-z]?$/;

function toSummary(r: SchoolRow): SchoolSummary {
  return {
    uai: r.uai,
    name: r.name,
    type: r.type as SchoolSummary["type"],
    sector: r.sector,
    priorityEducation: r.priority_education,
    communeName: r.commune_name,
    department: r.department_code,
    academy: r.academy_code,
    status: r.status,
    pupils: r.pupils,
  };
}

/** At most this many words of a search are used (a pasted paragraph must not become 200 conditions). */
const MAX_SEARCH_WORDS = 8;

/**
 * The words of a name search, split where the stored text is split (spaces, hyphens, apostrophes).
 * Folding (case, accents) is left to `vigie_search_text` in SQL, the same function that builds
 * the stored columns (migration 0008).
 */
export function searchWords(q: string): string[] {
  return q
    .split(/[\s\-'’]+/)
    .filter((w) => w !== "")
    .slice(0, MAX_SEARCH_WORDS);
}

/**
 * The order of every school list: the folded name (migration 0008), compared byte by byte, then
 * the UAI. « École » and « Ecole » sort together, before « Lycée », on both engines: the names
 * themselves would sort by the base's collation, and under PGlite's (C) « É » comes after « Z ».
 * The index of migration 0023 is on this very expression; the name search keeps its schools in
 * the same order (search-index.ts).
 */
const SORT_NAME = sql<string>`search_name collate "C"`;

/**
 * A name search counts its matches up to this many (or one page past the page asked for, if
 * further): beyond, the total is a lower bound (« plus de 200 »). A fragment of three letters can
 * match tens of thousands of schools, and an exact count would read them all for a number nobody
 * pages through; the pager still reaches the next page from the last one shown.
 */
export const SEARCH_COUNT_CAP = 200;

type SchoolQuery = SelectQueryBuilder<Database, "school", object>;

/** The schools of the territory that pass the list's filters (type, sector, status…). */
function filteredSchools(db: Db, query: SchoolListQuery): SchoolQuery {
  let qb: SchoolQuery = applyTerritory(db.selectFrom("school"), parseTerritoryParam(query.territory));
  if (query.type) qb = qb.where("type", "=", query.type);
  if (query.sector) qb = qb.where("sector", "=", query.sector);
  if (query.priorityEducation === "none") qb = qb.where("priority_education", "is", null);
  else if (query.priorityEducation) qb = qb.where("priority_education", "=", query.priorityEducation);
  if (query.status !== "all") qb = qb.where("status", "=", query.status);
  return qb;
}

export async function listSchools(db: Db, query: SchoolListQuery): Promise<SchoolPage> {
  const q = query.q?.trim();
  const isUai = q !== undefined && UAI_PREFIX.test(q);
  const words = q && !isUai ? searchWords(q) : [];
  if (words.length > 0) return searchByWords(db, words, query);
  const schools = filteredSchools(db, query);
  return listInOrder(db, isUai ? schools.where("uai", "like", `${q.toUpperCase()}%`) : schools, query);
}

/**
 * A list without words (a territory, filters, a UAI prefix): in list order (`SORT_NAME`), with its
 * exact count.
 * One pass over the matching schools: their narrow keys are kept once (`m`, materialised because
 * it is read twice), counted, and sorted for the page; only the page's rows are read whole.
 */
async function listInOrder(db: Db, qb: SchoolQuery, query: SchoolListQuery): Promise<SchoolPage> {
  const rows = await db
    .with("m", () => qb.select(["id", "uai", SORT_NAME.as("sort_name")]))
    .with("p", (w) =>
      w
        .selectFrom("m")
        .selectAll()
        .orderBy("sort_name")
        .orderBy("uai")
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize),
    )
    .selectFrom("p")
    .innerJoin("school as s", "s.id", "p.id")
    .selectAll("s")
    .select(sql<number>`(select count(*)::int from m)`.as("total"))
    .orderBy("p.sort_name")
    .orderBy("p.uai")
    .execute();
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && query.page > 1) {
    // Past the last page: still tell how many results there are.
    const c = await qb.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
    total = c.n;
  }
  return {
    items: rows.map(toSummary),
    total,
    totalIsLowerBound: false,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * A search by words: every word in the name or the commune, in three groups, each in list order
 * (`SORT_NAME`): the names that begin with the first word (« ecole jaures » → « École … Jaurès »),
 * then the other names that hold every word, then the schools found by their commune only.
 * Matched on the schools held in memory (search-index.ts, ADR 0013); only the page's rows are read
 * from the table. The total stops at SEARCH_COUNT_CAP (or one page past the page asked for), as the
 * contract says.
 */
async function searchByWords(db: Db, words: readonly string[], query: SchoolListQuery): Promise<SchoolPage> {
  const { index, folded } = await searchableSchools(db, words);
  const offset = (query.page - 1) * query.pageSize;
  const limit = Math.max(SEARCH_COUNT_CAP, offset + 2 * query.pageSize);
  const filters = { ...query, territory: parseTerritoryParam(query.territory) };
  const window = { offset, pageSize: query.pageSize, countCap: limit };
  const { page, matched } = matchSchools(index, folded, filters, window);
  return {
    items: await schoolRowsInOrder(db, page),
    total: Math.min(matched, limit),
    totalIsLowerBound: matched > limit,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** The page's schools as stored now, in the page's order (a school deleted since is left out). */
async function schoolRowsInOrder(db: Db, page: readonly IndexedSchool[]): Promise<SchoolSummary[]> {
  if (page.length === 0) return [];
  const rows = await db
    .selectFrom("school")
    .selectAll()
    .where(
      "id",
      "in",
      page.map((s) => s.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  return page.flatMap((s) => {
    const row = byId.get(s.id);
    return row ? [toSummary(row)] : [];
  });
}

export async function getSchool(db: Db, uai: string): Promise<SchoolDetail | undefined> {
  const r = await db.selectFrom("school").selectAll().where("uai", "=", uai).executeTakeFirst();
  if (!r) return undefined;
  const districtCodes = [r.bassin_code, r.circonscription_code].filter((c): c is string => c !== null);
  const districts =
    districtCodes.length === 0
      ? []
      : await db
          .selectFrom("district")
          .select(["code", "name", "kind"])
          .where("code", "in", districtCodes)
          .execute();
  const ancestors = (await ancestorsOf(db, "department", r.department_code)) ?? [];
  const dep = await db
    .selectFrom("department")
    .select("name")
    .where("code", "=", r.department_code)
    .executeTakeFirstOrThrow();
  return {
    ...toSummary(r),
    natureCode: r.nature_code,
    natureLabel: r.nature_label,
    academicRegion: r.academic_region_code,
    communeCode: r.commune_code,
    postalCode: r.postal_code,
    latitude: r.latitude,
    longitude: r.longitude,
    openedOn: r.opened_on,
    districts: districts.map((d) => ({
      level: "district" as const,
      code: d.code,
      name: d.name,
      districtKind: d.kind,
    })),
    ancestors: [...ancestors, { level: "department", code: r.department_code, name: dep.name }],
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
