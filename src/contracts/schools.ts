/**
 * The enumerations of a school (type, sector, priority education, status), Zod-free: the Zod
 * schemas of `territories.ts` are built from them and the web app imports the same values.
 */

export const SCHOOL_TYPES = [
  "ecole_maternelle",
  "ecole_elementaire",
  "ecole_primaire",
  "college",
  "lycee_gt",
  "lycee_polyvalent",
  "lycee_professionnel",
  "lycee_agricole",
  "erea",
  "medico_social",
  "administration",
  "autre",
] as const;
export type SchoolType = (typeof SCHOOL_TYPES)[number];

export const SCHOOL_SECTORS = ["public", "private_contract", "private_no_contract"] as const;
export type SchoolSector = (typeof SCHOOL_SECTORS)[number];

export const PRIORITY_EDUCATIONS = ["REP", "REP+"] as const;
export type PriorityEducation = (typeof PRIORITY_EDUCATIONS)[number];

export const SCHOOL_STATUSES = ["open", "closed"] as const;
export type SchoolStatus = (typeof SCHOOL_STATUSES)[number];
