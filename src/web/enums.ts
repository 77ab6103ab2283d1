import { SCHOOL_SECTOR_LABELS, SCHOOL_TYPE_LABELS } from "../contracts/labels.ts";
import type { SchoolSector, SchoolType } from "../contracts/territories.ts";

export { TERRITORY_LEVELS } from "../contracts/territory-tree.ts";

/*
 * The enumerations of the contracts, read from the label tables (`Record<Enum, string>` makes them
 * complete and in the same order). Importing the values from `contracts/territories.ts` would pull
 * zod into the browser bundle; the web app only needs its types.
 */
export const SCHOOL_TYPES = Object.keys(SCHOOL_TYPE_LABELS) as SchoolType[];
export const SCHOOL_SECTORS = Object.keys(SCHOOL_SECTOR_LABELS) as SchoolSector[];
