import { createHash } from "node:crypto";
import type { SchoolRecord } from "../school-record.ts";

/**
 * A stable hash of everything Vigie stores about a school, to tell in memory which rows of a
 * file change the database. Fields are listed explicitly, in a fixed order, so that adding a
 * property to SchoolRecord does not silently change every hash (add it here on purpose, and
 * every school will be updated once). District names are not part of it: they live in the
 * district table, which is upserted on its own.
 */
export function schoolContentHash(r: SchoolRecord): string {
  const values = [
    r.uai,
    r.name,
    r.type,
    r.natureCode,
    r.natureLabel,
    r.sector,
    r.priorityEducation,
    r.communeCode,
    r.communeName,
    r.postalCode,
    r.latitude,
    r.longitude,
    r.departmentCode,
    r.academyCode,
    r.academicRegionCode,
    r.bassin?.code ?? null,
    r.circonscription?.code ?? null,
    r.status,
    r.openedOn,
    r.pupils,
    r.sourceUpdatedOn,
  ];
  return createHash("sha256").update(JSON.stringify(values)).digest("base64url");
}
