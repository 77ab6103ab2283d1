import type { Generated, Selectable } from "kysely";

/**
 * The territories tables (migrations 0001, 0002, 0008, 0025), added to platform's `Database` by
 * declaration merging: `Kysely<Database>` sees them in the whole program, and platform
 * never imports this module. Only this module's files read or write them (docs/architecture.md).
 */
declare module "../platform/index.ts" {
  interface Database {
    academic_region: AcademicRegionTable;
    academy: AcademyTable;
    department: DepartmentTable;
    district: DistrictTable;
    import_batch: ImportBatchTable;
    import_upload: ImportUploadTable;
    school: SchoolTable;
    school_revision: SchoolRevisionTable;
  }
}

export interface AcademicRegionTable {
  code: string;
  name: string;
}

export interface AcademyTable {
  code: string;
  name: string;
  academic_region_code: string;
}

export interface DepartmentTable {
  code: string;
  name: string;
  academy_code: string;
  academic_region_code: string;
}

export interface DistrictTable {
  code: string;
  kind: "bassin" | "circonscription";
  name: string;
  department_code: string;
  academy_code: string;
  academic_region_code: string;
}

export interface ImportBatchTable {
  id: Generated<string>;
  kind: string;
  file_name: string;
  file_sha256: string;
  started_at: Generated<Date>;
  committed_at: Date | null;
  report: unknown;
}

export interface SchoolTable {
  id: Generated<string>;
  uai: string;
  name: string;
  type: string;
  nature_code: string | null;
  nature_label: string | null;
  sector: "public" | "private_contract" | "private_no_contract";
  priority_education: "REP" | "REP+" | null;
  commune_code: string | null;
  commune_name: string | null;
  postal_code: string | null;
  latitude: number | null;
  longitude: number | null;
  department_code: string;
  academy_code: string;
  academic_region_code: string;
  bassin_code: string | null;
  circonscription_code: string | null;
  status: "open" | "closed";
  opened_on: string | null;
  pupils: number | null;
  source_updated_on: string | null;
  content_hash: string;
  import_batch_id: string | null;
  updated_at: Generated<Date>;
  /** Folded name, and name + commune, for the accent-insensitive search (generated, migration 0008). */
  search_name: Generated<string>;
  search_text: Generated<string>;
}

export type SchoolRow = Selectable<SchoolTable>;

/** One row: moved by every write of the columns the name search reads (migration 0025, ADR 0013). */
export interface SchoolRevisionTable {
  id: Generated<number>;
  revision: Generated<string>;
}

export interface ImportUploadTable {
  id: string;
  kind: string;
  file_name: string;
  file_sha256: string;
  content: Uint8Array;
  created_at: Generated<Date>;
  committed_at: Date | null;
}
