import { type Principal, type Scope, scopeContainsSchool, scopesWith } from "../../identity/index.ts";
import type { ResolvedSchool } from "./apply.ts";

/**
 * Who may import for which schools: the holders of `indicators.write` (writing data values,
 * through the API or an import), on their scope — a DANE for its académie, a school's head or
 * digital referent for their school. The commit job re-checks with the rights the person had
 * when they confirmed (kept with the job).
 */
export const IMPORT_PERMISSION = "indicators.write" as const;

/** The schools this person may import for; undefined for a national scope (all of them). */
export function importAllowedSchool(
  principal: Principal | null,
): ((school: ResolvedSchool) => boolean) | undefined {
  const scopes = scopesWith(principal, IMPORT_PERMISSION);
  if (scopes.some((s) => s.kind === "territory" && s.level === "nation")) return undefined;
  return (school) => scopes.some((s: Scope) => scopeContainsSchool(s, school.place));
}

/** The French refusal of a school outside the person's scope. */
export function outOfScopeMessage(uai: string): string {
  return `L'établissement ${uai} est hors de votre périmètre : vous ne pouvez pas importer de données pour lui.`;
}
