import { type Kysely, sql } from "kysely";
import type { Database } from "../platform/index.ts";
import { schoolContentHash } from "./annuaire/content-hash.ts";
import type { SchoolRecord } from "./school-record.ts";

/**
 * The write side of schools and districts. Writes are set-based: rows travel as one JSON
 * parameter per batch and are expanded by `json_to_recordset`, which is far cheaper than
 * thousands of bind parameters (PGlite is one in-process connection: every statement counts),
 * and the column types come from one place, the record definition in the SQL.
 */

type Db = Kysely<Database>;

/** Rows per statement: big enough to amortise a round trip, small enough to keep the JSON text modest. */
export const DEFAULT_BATCH_SIZE = 2000;

export interface StoredSchoolHash {
  contentHash: string;
  departmentCode: string;
  /** Already closed in Vigie: a re-import that says closed again closes nothing. */
  closed: boolean;
}

/** Rows per read of `loadSchoolHashes`: the result of one read is all that is in transit at once. */
const HASH_PAGE = 10_000;

/**
 * Content hash, département and state of every stored school, by UAI (three short columns), read
 * by pages in UAI order: a national base's 65 000 rows never travel as one result (on PGlite in
 * its worker thread, a result is copied once more between the threads).
 */
export async function loadSchoolHashes(db: Db): Promise<Map<string, StoredSchoolHash>> {
  const map = new Map<string, StoredSchoolHash>();
  let after = "";
  for (;;) {
    const rows = await db
      .selectFrom("school")
      .select(["uai", "content_hash", "department_code", "status"])
      .where("uai", ">", after)
      .orderBy("uai")
      .limit(HASH_PAGE)
      .execute();
    for (const row of rows)
      map.set(row.uai, {
        contentHash: row.content_hash,
        departmentCode: row.department_code,
        closed: row.status === "closed",
      });
    if (rows.length < HASH_PAGE) return map;
    after = (rows.at(-1) as { uai: string }).uai;
  }
}

export interface DistrictRow {
  code: string;
  kind: "bassin" | "circonscription";
  name: string;
  departmentCode: string;
  academyCode: string;
  academicRegionCode: string;
}

/**
 * The districts the records refer to, once each. The first name seen wins; a district is placed
 * in the département most of its schools are in (a bassin may straddle a border), so that the
 * result does not depend on the order of rows.
 */
export function districtsOf(records: Iterable<SchoolRecord>): DistrictRow[] {
  const gatherer = new DistrictGatherer();
  for (const r of records) gatherer.add(r);
  return gatherer.rows();
}

/**
 * `districtsOf` one record at a time, for a file read in slices: keeps per district its first row
 * and a count of schools per département, and per département its académie and région (a few
 * thousand small entries for the whole of France), never the records.
 */
export class DistrictGatherer {
  private readonly byCode = new Map<string, { row: DistrictRow; departments: Map<string, number> }>();
  private readonly parentsOf = new Map<string, { academyCode: string; academicRegionCode: string }>();

  add(r: SchoolRecord): void {
    if (!this.parentsOf.has(r.departmentCode))
      this.parentsOf.set(r.departmentCode, {
        academyCode: r.academyCode,
        academicRegionCode: r.academicRegionCode,
      });
    for (const [kind, district] of [
      ["bassin", r.bassin],
      ["circonscription", r.circonscription],
    ] as const) {
      if (!district) continue;
      let entry = this.byCode.get(district.code);
      if (!entry) {
        entry = {
          row: {
            code: district.code,
            kind,
            name: district.name,
            departmentCode: r.departmentCode,
            academyCode: r.academyCode,
            academicRegionCode: r.academicRegionCode,
          },
          departments: new Map(),
        };
        this.byCode.set(district.code, entry);
      }
      entry.departments.set(r.departmentCode, (entry.departments.get(r.departmentCode) ?? 0) + 1);
    }
  }

  rows(): DistrictRow[] {
    return [...this.byCode.values()].map(({ row, departments }) => {
      let best = row.departmentCode;
      for (const [dep, count] of departments) {
        const bestCount = departments.get(best) ?? 0;
        if (count > bestCount || (count === bestCount && dep < best)) best = dep;
      }
      // Every record of a département has the same académie and région (from the referential).
      const ref = this.parentsOf.get(best) as { academyCode: string; academicRegionCode: string };
      return { ...row, departmentCode: best, ...ref };
    });
  }
}

/** Inserts new districts and brings changed names up to date; unchanged rows are not touched. */
export async function upsertDistricts(db: Db, districts: readonly DistrictRow[]): Promise<void> {
  for (let i = 0; i < districts.length; i += DEFAULT_BATCH_SIZE) {
    const rows = districts.slice(i, i + DEFAULT_BATCH_SIZE).map((d) => ({
      code: d.code,
      kind: d.kind,
      name: d.name,
      department_code: d.departmentCode,
      academy_code: d.academyCode,
      academic_region_code: d.academicRegionCode,
    }));
    await sql`
      insert into district (code, kind, name, department_code, academy_code, academic_region_code)
      select r.code, r.kind, r.name, r.department_code, r.academy_code, r.academic_region_code
      from json_to_recordset(cast(${JSON.stringify(rows)} as json)) as r(
        code text, kind text, name text, department_code text, academy_code text, academic_region_code text
      )
      on conflict (code) do update set
        kind = excluded.kind,
        name = excluded.name,
        department_code = excluded.department_code,
        academy_code = excluded.academy_code,
        academic_region_code = excluded.academic_region_code
      where (district.kind, district.name, district.department_code, district.academy_code, district.academic_region_code)
        is distinct from
        (excluded.kind, excluded.name, excluded.department_code, excluded.academy_code, excluded.academic_region_code)
    `.execute(db);
  }
}

export interface UpsertSchoolOptions {
  /** Rows per statement (default 2 000). */
  batchSize?: number;
  /** Also upsert the districts the records refer to (default true; off when the caller already did). */
  districts?: boolean;
  /** Called after each statement with the number of rows it carried. */
  onBatch?: (rows: number) => void;
}

/**
 * Inserts or updates schools by UAI. A stored school whose content hash equals the record's is
 * left untouched (its `updated_at` and `import_batch_id` keep telling when it last changed).
 * Run it inside a transaction when the write must be all or nothing. Repeated UAIs: the first wins.
 */
export async function upsertSchoolRecords(
  db: Db,
  records: readonly SchoolRecord[],
  batchId: string | null = null,
  options: UpsertSchoolOptions = {},
): Promise<void> {
  const seen = new Set<string>();
  const unique = records.filter((r) => !seen.has(r.uai) && seen.add(r.uai));
  if (options.districts !== false) await upsertDistricts(db, districtsOf(unique));
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
  for (let i = 0; i < unique.length; i += size) {
    const batch = unique.slice(i, i + size);
    const rows = batch.map((r) => ({
      uai: r.uai,
      name: r.name,
      type: r.type,
      nature_code: r.natureCode,
      nature_label: r.natureLabel,
      sector: r.sector,
      priority_education: r.priorityEducation,
      commune_code: r.communeCode,
      commune_name: r.communeName,
      postal_code: r.postalCode,
      latitude: r.latitude,
      longitude: r.longitude,
      department_code: r.departmentCode,
      academy_code: r.academyCode,
      academic_region_code: r.academicRegionCode,
      bassin_code: r.bassin?.code ?? null,
      circonscription_code: r.circonscription?.code ?? null,
      status: r.status,
      opened_on: r.openedOn,
      pupils: r.pupils,
      source_updated_on: r.sourceUpdatedOn,
      content_hash: schoolContentHash(r),
    }));
    await sql`
      insert into school (
        uai, name, type, nature_code, nature_label, sector, priority_education, commune_code, commune_name,
        postal_code, latitude, longitude, department_code, academy_code, academic_region_code, bassin_code,
        circonscription_code, status, opened_on, pupils, source_updated_on, content_hash, import_batch_id
      )
      select
        r.uai, r.name, r.type, r.nature_code, r.nature_label, r.sector, r.priority_education, r.commune_code,
        r.commune_name, r.postal_code, r.latitude, r.longitude, r.department_code, r.academy_code,
        r.academic_region_code, r.bassin_code, r.circonscription_code, r.status, r.opened_on, r.pupils,
        r.source_updated_on, r.content_hash, cast(${batchId} as bigint)
      from json_to_recordset(cast(${JSON.stringify(rows)} as json)) as r(
        uai text, name text, type text, nature_code text, nature_label text, sector text,
        priority_education text, commune_code text, commune_name text, postal_code text,
        latitude double precision, longitude double precision, department_code text, academy_code text,
        academic_region_code text, bassin_code text, circonscription_code text, status text, opened_on date,
        pupils integer, source_updated_on date, content_hash text
      )
      on conflict (uai) do update set
        name = excluded.name,
        type = excluded.type,
        nature_code = excluded.nature_code,
        nature_label = excluded.nature_label,
        sector = excluded.sector,
        priority_education = excluded.priority_education,
        commune_code = excluded.commune_code,
        commune_name = excluded.commune_name,
        postal_code = excluded.postal_code,
        latitude = excluded.latitude,
        longitude = excluded.longitude,
        department_code = excluded.department_code,
        academy_code = excluded.academy_code,
        academic_region_code = excluded.academic_region_code,
        bassin_code = excluded.bassin_code,
        circonscription_code = excluded.circonscription_code,
        status = excluded.status,
        opened_on = excluded.opened_on,
        pupils = excluded.pupils,
        source_updated_on = excluded.source_updated_on,
        content_hash = excluded.content_hash,
        import_batch_id = excluded.import_batch_id,
        updated_at = now()
      where school.content_hash is distinct from excluded.content_hash
    `.execute(db);
    options.onBatch?.(batch.length);
  }
}

export interface ImportBatchInput {
  kind: string;
  fileName: string;
  fileSha256: string;
  report: unknown;
}

/** Records one committed import with its report; returns its id (bigint as text). */
export async function insertImportBatch(db: Db, batch: ImportBatchInput): Promise<string> {
  const row = await db
    .insertInto("import_batch")
    .values({
      kind: batch.kind,
      file_name: batch.fileName,
      file_sha256: batch.fileSha256,
      committed_at: sql<Date>`now()`,
      report: sql`cast(${JSON.stringify(batch.report)} as jsonb)`,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/**
 * Replaces the report of a batch recorded earlier in the same transaction (an import writes its
 * values pointing to the batch first, then knows what it wrote).
 */
export async function setImportBatchReport(db: Db, batchId: string, report: unknown): Promise<void> {
  await db
    .updateTable("import_batch")
    .set({ report: sql`cast(${JSON.stringify(report)} as jsonb)` })
    .where("id", "=", batchId)
    .execute();
}
