import { SCHOOL_SECTOR_LABELS, SCHOOL_TYPE_LABELS, TERRITORY_LEVEL_LABELS } from "../contracts/labels.ts";
import type { SchoolSector, SchoolType, TerritoryLevel } from "../contracts/territories.ts";

/*
 * The enumerations of the contracts, read from the label tables (`Record<Enum, string>` makes them
 * complete and in the same order). Importing the values from `contracts/territories.ts` would pull
 * zod into the browser bundle; the web app only needs its types.
 */
export const SCHOOL_TYPES = Object.keys(SCHOOL_TYPE_LABELS) as SchoolType[];
export const SCHOOL_SECTORS = Object.keys(SCHOOL_SECTOR_LABELS) as SchoolSector[];
export const TERRITORY_LEVELS = Object.keys(TERRITORY_LEVEL_LABELS) as TerritoryLevel[];
