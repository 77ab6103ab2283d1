import type { Kysely } from "kysely";
import { NATION, NATION_CODE, type NodeAddress, type NodeRef } from "../../contracts/territory-tree.ts";
import type { Database } from "../platform/index.ts";
import {
  ACADEMIC_REGIONS,
  ACADEMIES,
  academicRegionByCode,
  academyByCode,
  DEPARTMENTS,
  departmentByCode,
} from "./referential.ts";

/**
 * The territory tree on the server (its levels, keys and labels are in
 * `src/contracts/territory-tree.ts`): nation > région académique > académie > département >
 * district > school. Territories above the district come from the built-in referential (no
 * query); districts and schools from this module's tables. Other modules (the indicators, the
 * roadmaps) call these functions instead of reading `school` and `district`.
 */

export interface ResolvedNode {
  readonly ref: NodeRef;
  /** From the direct parent up to the nation. */
  readonly ancestors: NodeRef[];
  readonly academyCode: string | null;
  /** For a school: its id and attributes. */
  readonly school?: { id: string; type: string; sector: string; priority: string | null };
}

function regionRef(code: string): NodeRef {
  return { level: "academicRegion", code, name: academicRegionByCode.get(code)?.name ?? code };
}
function academyRef(code: string): NodeRef {
  return { level: "academy", code, name: academyByCode.get(code)?.name ?? code };
}
function departmentRef(code: string): NodeRef {
  return { level: "department", code, name: departmentByCode.get(code)?.name ?? code };
}

/**
 * The ancestors of a territory the referential knows (région académique, académie, département),
 * from the direct parent up to the nation; undefined for an unknown code. Districts and schools
 * need the database: `resolveNode`.
 */
export function referentialAncestors(node: NodeAddress): NodeRef[] | undefined {
  switch (node.level) {
    case "nation":
      return node.code === NATION_CODE ? [] : undefined;
    case "academicRegion":
      return academicRegionByCode.has(node.code) ? [NATION] : undefined;
    case "academy": {
      const a = academyByCode.get(node.code);
      return a ? [regionRef(a.academicRegionCode), NATION] : undefined;
    }
    case "department": {
      const d = departmentByCode.get(node.code);
      if (!d) return undefined;
      const a = academyByCode.get(d.academyCode);
      return [academyRef(d.academyCode), regionRef(a?.academicRegionCode ?? ""), NATION];
    }
    default:
      return undefined;
  }
}

export async function resolveNode(db: Kysely<Database>, node: NodeAddress): Promise<ResolvedNode | null> {
  switch (node.level) {
    case "nation":
      return node.code === NATION_CODE ? { ref: NATION, ancestors: [], academyCode: null } : null;
    case "academicRegion":
      return academicRegionByCode.has(node.code)
        ? { ref: regionRef(node.code), ancestors: [NATION], academyCode: null }
        : null;
    case "academy": {
      const a = academyByCode.get(node.code);
      return a
        ? {
            ref: academyRef(a.code),
            ancestors: [regionRef(a.academicRegionCode), NATION],
            academyCode: a.code,
          }
        : null;
    }
    case "department": {
      const d = departmentByCode.get(node.code);
      if (!d) return null;
      const a = academyByCode.get(d.academyCode);
      return {
        ref: departmentRef(d.code),
        ancestors: [academyRef(d.academyCode), regionRef(a?.academicRegionCode ?? ""), NATION],
        academyCode: d.academyCode,
      };
    }
    case "district": {
      const row = await db
        .selectFrom("district")
        .select(["code", "name", "department_code", "academy_code", "academic_region_code"])
        .where("code", "=", node.code)
        .executeTakeFirst();
      if (!row) return null;
      return {
        ref: { level: "district", code: row.code, name: row.name },
        ancestors: [
          departmentRef(row.department_code),
          academyRef(row.academy_code),
          regionRef(row.academic_region_code),
          NATION,
        ],
        academyCode: row.academy_code,
      };
    }
    case "school": {
      const row = await db
        .selectFrom("school")
        .leftJoin("district", (j) =>
          j.on((eb) =>
            eb("district.code", "=", eb.fn.coalesce("school.circonscription_code", "school.bassin_code")),
          ),
        )
        .select([
          "school.id",
          "school.uai",
          "school.name",
          "school.type",
          "school.sector",
          "school.priority_education",
          "school.department_code",
          "school.academy_code",
          "school.academic_region_code",
          "district.code as district_code",
          "district.name as district_name",
        ])
        .where("school.uai", "=", node.code.toUpperCase())
        .executeTakeFirst();
      if (!row) return null;
      const district: NodeRef[] =
        row.district_code && row.district_name
          ? [{ level: "district", code: row.district_code, name: row.district_name }]
          : [];
      return {
        ref: { level: "school", code: row.uai, name: row.name },
        ancestors: [
          ...district,
          departmentRef(row.department_code),
          academyRef(row.academy_code),
          regionRef(row.academic_region_code),
          NATION,
        ],
        academyCode: row.academy_code,
        school: { id: row.id, type: row.type, sector: row.sector, priority: row.priority_education },
      };
    }
  }
}

/** The children of a node in the observatory tree (a district's children are its schools). */
export async function childrenOf(
  db: Kysely<Database>,
  node: NodeRef,
): Promise<{ refs: NodeRef[]; schoolIds: Map<string, string> }> {
  const none = new Map<string, string>();
  switch (node.level) {
    case "nation":
      return { refs: ACADEMIC_REGIONS.map((r) => regionRef(r.code)), schoolIds: none };
    case "academicRegion":
      return {
        refs: ACADEMIES.filter((a) => a.academicRegionCode === node.code).map((a) => academyRef(a.code)),
        schoolIds: none,
      };
    case "academy":
      return {
        refs: DEPARTMENTS.filter((d) => d.academyCode === node.code).map((d) => departmentRef(d.code)),
        schoolIds: none,
      };
    case "department": {
      const rows = await db
        .selectFrom("district")
        .select(["code", "name"])
        .where("department_code", "=", node.code)
        .orderBy("name")
        .execute();
      return { refs: rows.map((r) => ({ level: "district", code: r.code, name: r.name })), schoolIds: none };
    }
    case "district": {
      const rows = await db
        .selectFrom("school")
        .select(["id", "uai", "name"])
        .where((eb) =>
          eb.or([
            eb("circonscription_code", "=", node.code),
            eb.and([eb("circonscription_code", "is", null), eb("bassin_code", "=", node.code)]),
          ]),
        )
        .orderBy("name")
        .execute();
      return {
        refs: rows.map((r) => ({ level: "school", code: r.uai, name: r.name })),
        schoolIds: new Map(rows.map((r) => [r.uai, r.id])),
      };
    }
    case "school":
      return { refs: [], schoolIds: none };
  }
}

// ---------------------------------------------------------------------------------------------
// Schools, for the modules that attach figures to them

/** How many UAIs one query looks up (a values file may name every school of the nation). */
const UAI_SLICE = 5000;

/** The id and académie of each known school among `uais` (upper-case UAIs), by UAI. */
export async function findSchoolIds(
  db: Kysely<Database>,
  uais: Iterable<string>,
): Promise<Map<string, { id: string; academyCode: string }>> {
  const list = [...new Set(uais)];
  const out = new Map<string, { id: string; academyCode: string }>();
  for (let i = 0; i < list.length; i += UAI_SLICE) {
    const rows = await db
      .selectFrom("school")
      .select(["id", "uai", "academy_code"])
      .where("uai", "in", list.slice(i, i + UAI_SLICE))
      .execute();
    for (const s of rows) out.set(s.uai, { id: s.id, academyCode: s.academy_code });
  }
  return out;
}

/** The open schools of an académie or a département (id, UAI, name). */
export async function openSchoolsIn(
  db: Kysely<Database>,
  territory: { level: "academy" | "department"; code: string },
): Promise<{ id: string; uai: string; name: string }[]> {
  return db
    .selectFrom("school")
    .select(["id", "uai", "name"])
    .where(territory.level === "academy" ? "academy_code" : "department_code", "=", territory.code)
    .where("status", "=", "open")
    .execute();
}

/** Is there any school in the base (open or closed)? */
export async function hasSchools(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom("school").select("id").limit(1).executeTakeFirst()) !== undefined;
}

/** An académie's part of the tree, as the roll-up builds it: départements, districts, schools. */
export interface AcademyContents {
  academicRegionCode: string;
  departmentCodes: string[];
  districts: { code: string; departmentCode: string }[];
  schools: {
    id: string;
    type: string;
    sector: string;
    priority: string | null;
    departmentCode: string;
    bassinCode: string | null;
    circonscriptionCode: string | null;
    open: boolean;
  }[];
}

/** Everything under an académie (closed schools included); throws for an unknown académie. */
export async function academyContents(db: Kysely<Database>, academyCode: string): Promise<AcademyContents> {
  const academy = await db
    .selectFrom("academy")
    .select(["code", "academic_region_code"])
    .where("code", "=", academyCode)
    .executeTakeFirstOrThrow();
  const departments = await db
    .selectFrom("department")
    .select("code")
    .where("academy_code", "=", academyCode)
    .execute();
  const districts = await db
    .selectFrom("district")
    .select(["code", "department_code as departmentCode"])
    .where("academy_code", "=", academyCode)
    .execute();
  const schools = await db
    .selectFrom("school")
    .select([
      "id",
      "type",
      "sector",
      "priority_education as priority",
      "department_code as departmentCode",
      "bassin_code as bassinCode",
      "circonscription_code as circonscriptionCode",
      "status",
    ])
    .where("academy_code", "=", academyCode)
    .execute();
  return {
    academicRegionCode: academy.academic_region_code,
    departmentCodes: departments.map((d) => d.code),
    districts,
    schools: schools.map(({ status, ...s }) => ({ ...s, open: status === "open" })),
  };
}
