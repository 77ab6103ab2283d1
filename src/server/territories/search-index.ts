import { type Kysely, sql } from "kysely";
import type { Database } from "../platform/index.ts";
import { type IndexedSchool, NameIndexBuilder, type SchoolNameIndex } from "./search-match.ts";

/**
 * The schools a name search reads, held in memory per database with a trigram index of their
 * folded texts (search-match.ts, ADR 0013): a search then looks at the schools of its rarest
 * trigram in JavaScript, where the same search in SQL cost one planned statement of trigram and
 * range reads, and on the embedded base queued every client behind it.
 *
 * The copy is never trusted blindly: each search first reads the schools' revision (migration
 * 0025, moved by every write of the searched columns, whichever process writes) and reads the
 * schools again when it moved. The schools and their revision are read by one statement, hence
 * from one snapshot.
 */

type Db = Kysely<Database>;

/** Schools indexed between two returns to the event loop (a few milliseconds of work). */
const BUILD_SLICE = 5000;

interface Snapshot {
  readonly revision: bigint;
  /** In list order: the folded name compared byte by byte, then the UAI (queries.ts, `SORT_NAME`). */
  readonly index: SchoolNameIndex;
}

/** The current revision, and the words folded by the same SQL function as the stored columns. */
async function revisionAndWords(
  db: Db,
  words: readonly string[],
): Promise<{ revision: bigint; folded: string[] }> {
  const folded = words.map((w) => sql<string>`vigie_search_text(${w})`);
  const { rows } = await sql<{ revision: string; folded: string[] }>`
    select (select revision from school_revision where id = 1)::text as revision,
           json_build_array(${sql.join(folded)}) as folded
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error("school_revision est vide");
  return { revision: BigInt(row.revision), folded: row.folded };
}

interface SearchRow {
  id: string;
  uai: string;
  search_name: string;
  search_text: string;
  type: string;
  sector: string;
  priority_education: string | null;
  status: string;
  academic_region_code: string;
  academy_code: string;
  department_code: string;
  bassin_code: string | null;
  circonscription_code: string | null;
  revision: string;
}

const indexed = (r: SearchRow): IndexedSchool => ({
  id: r.id,
  uai: r.uai,
  name: r.search_name,
  text: r.search_text,
  type: r.type,
  sector: r.sector,
  priorityEducation: r.priority_education,
  status: r.status,
  academicRegionCode: r.academic_region_code,
  academyCode: r.academy_code,
  departmentCode: r.department_code,
  bassinCode: r.bassin_code,
  circonscriptionCode: r.circonscription_code,
});

async function readSnapshot(db: Db): Promise<Snapshot> {
  const { rows } = await sql<SearchRow>`
    select id, uai, search_name, search_text, type, sector, priority_education, status,
           academic_region_code, academy_code, department_code, bassin_code, circonscription_code,
           (select revision from school_revision where id = 1)::text as revision
    from school
    order by search_name collate "C", uai
  `.execute(db);
  const revision = rows[0] ? BigInt(rows[0].revision) : await emptyRevision(db);
  const builder = new NameIndexBuilder();
  for (let i = 0; i < rows.length; i++) {
    builder.add(indexed(rows[i] as SearchRow));
    // Half a second for a nation's schools: other requests are served between slices.
    if (i % BUILD_SLICE === BUILD_SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return { revision, index: builder.finish() };
}

/** The revision of a base without schools (the load's statement then returned no row to carry it). */
async function emptyRevision(db: Db): Promise<bigint> {
  const row = await db.selectFrom("school_revision").select("revision").executeTakeFirstOrThrow();
  return BigInt(row.revision);
}

class SchoolSearchIndex {
  private snapshot: Snapshot | null = null;
  /** The read under way: concurrent searches that find the copy stale share it. */
  private reading: Promise<Snapshot> | null = null;

  constructor(private readonly db: Db) {}

  /** The schools at `revision` or later, read again only when the copy is older. */
  async schoolsAt(revision: bigint): Promise<SchoolNameIndex> {
    // A read that began before the write that moved the revision returns older schools: read
    // again; one that begins now sees that write.
    for (;;) {
      if (this.snapshot && this.snapshot.revision >= revision) return this.snapshot.index;
      const read = await this.read();
      if (read.revision >= revision) return read.index;
    }
  }

  private read(): Promise<Snapshot> {
    if (!this.reading) {
      this.reading = readSnapshot(this.db)
        .then((s) => {
          if (!this.snapshot || s.revision >= this.snapshot.revision) this.snapshot = s;
          return s;
        })
        .finally(() => {
          this.reading = null;
        });
    }
    return this.reading;
  }
}

/** One copy per database handle (a test process opens several bases). */
const indexes = new WeakMap<Db, SchoolSearchIndex>();

/**
 * The schools as of now, in list order, and the search words folded: read again only when a
 * write moved the revision since the last read.
 */
export async function searchableSchools(
  db: Db,
  words: readonly string[],
): Promise<{ index: SchoolNameIndex; folded: string[] }> {
  let index = indexes.get(db);
  if (!index) {
    index = new SchoolSearchIndex(db);
    indexes.set(db, index);
  }
  const { revision, folded } = await revisionAndWords(db, words);
  return { index: await index.schoolsAt(revision), folded };
}
