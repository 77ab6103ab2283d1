import type { Kysely } from "kysely";
import type { CompetenceClass, CompetenceClasses } from "../../contracts/competences.ts";
import { CRCN_COMPETENCES } from "../../contracts/crcn.ts";
import { can, type Principal, type SchoolPlace } from "../identity/index.ts";
import { type PixProfilesClassSummary, pixClassSummaries } from "../imports/index.ts";
import { type Database, forbidden, notFound } from "../platform/index.ts";
import { findSchoolAncestriesByIds, findSchoolIds } from "../territories/index.ts";

/**
 * A school's Pix figures class by class, for the school's own staff and the people whose role
 * covers it (`indicators.restricted`): a class has fewer than 10 pupils more often than not, so
 * these figures are never public.
 */
export async function schoolClasses(
  db: Kysely<Database>,
  principal: Principal | null,
  uai: string,
  period?: string,
): Promise<CompetenceClasses> {
  const key = uai.trim().toUpperCase();
  const id = (await findSchoolIds(db, [key])).get(key)?.id;
  const school = id ? (await findSchoolAncestriesByIds(db, [id]))[0] : undefined;
  if (!id || !school) throw notFound(`Aucun établissement n'a l'UAI ${key}.`);
  // A school's place (its ancestry) is what the scope rules read.
  const place: SchoolPlace = school;
  if (!can(principal, "indicators.restricted", { kind: "school", school: place }))
    throw forbidden(
      "Les chiffres par classe sont réservés à l'équipe de l'établissement et aux équipes de pilotage de son territoire.",
    );
  const classes = await pixClassSummaries(db, id, period);
  return { school: { uai: school.uai, name: school.name }, classes: classes.map(classDto) };
}

export function classDto(c: PixProfilesClassSummary): CompetenceClass {
  return {
    period: c.period,
    class: c.class,
    level: c.level,
    campaignId: c.campaignId,
    participants: c.participants,
    shared: c.shared,
    certifiable: c.certifiable,
    meanPix: c.shared > 0 ? c.pixTotal / c.shared : null,
    targetReached: c.targetReached,
    competences: CRCN_COMPETENCES.map((k) => {
      const levels = [...(c.levels[k.code] ?? [])];
      const pupils = levels.reduce((s, n) => s + n, 0);
      const total = levels.reduce((s, n, level) => s + n * level, 0);
      return { competence: k.code, meanLevel: pupils > 0 ? total / pupils : null, levels };
    }),
  };
}
