import {
  academicRegionByCode,
  academyByCode,
  type ImportAccess,
  type SchoolRecord,
} from "../territories/index.ts";
import {
  type Principal,
  type SchoolPlace,
  type Scope,
  scopeContainsSchool,
  scopesWith,
} from "./permissions.ts";
import { requestActor } from "./sessions/session-user.ts";

/** A school of an import file, as the scope checks see it. */
export function recordPlace(record: SchoolRecord): SchoolPlace {
  return {
    uai: record.uai,
    departmentCode: record.departmentCode,
    academyCode: record.academyCode,
    academicRegionCode: record.academicRegionCode,
    bassinCode: record.bassin?.code ?? null,
    circonscriptionCode: record.circonscription?.code ?? null,
    communeCode: record.communeCode,
    type: record.type,
    sector: record.sector,
  };
}

function scopeLabel(scope: Scope): string {
  if (scope.kind === "territory" && scope.level === "academy") {
    return `académie de ${academyByCode.get(scope.code)?.name ?? scope.code}`;
  }
  if (scope.kind === "territory" && scope.level === "academicRegion") {
    return `région académique ${academicRegionByCode.get(scope.code)?.name ?? scope.code}`;
  }
  return `${scope.level} ${scope.code}`;
}

/**
 * The filter of an Annuaire import for this importer (`importAnnuaire`'s `accept`): undefined
 * for a national importer (everything), otherwise rows outside their scopes are rejected.
 */
export function importAcceptFor(
  principal: Principal | null,
): ((record: SchoolRecord) => string | null) | undefined {
  const scopes = scopesWith(principal, "import.annuaire");
  if (scopes.some((s) => s.kind === "territory" && s.level === "nation")) return undefined;
  const label = scopes.map(scopeLabel).join(", ") || "aucun";
  return (record) =>
    scopes.some((s) => scopeContainsSchool(s, recordPlace(record)))
      ? null
      : `Établissement hors de votre périmètre (${label}) : ligne ignorée`;
}

/** The audit territory of an import: the importer's scope when they have a single one. */
export function importAuditTerritory(principal: Principal | null) {
  const scopes = scopesWith(principal, "import.annuaire");
  const only = scopes.length === 1 ? scopes[0] : undefined;
  if (only?.kind !== "territory" || only.level === "nation") return null;
  return { level: only.level, code: only.code, academyCode: only.level === "academy" ? only.code : null };
}

/** The Annuaire upload's checks as territories asks for them (`ImportAccess`), wired in app.ts. */
export const annuaireImportAccess: ImportAccess = {
  acceptFor: (req) => importAcceptFor(req.principal),
  auditTerritory: (req) => importAuditTerritory(req.principal),
  actor: (req) => requestActor(req, "import"),
  // The commit job re-checks the rows with the requester's roles as they were when they confirmed.
  rights: (req) => req.principal,
  acceptForRights: (rights) => importAcceptFor(rights as Principal | null),
};
