/*
 * The enumerations of the contracts, from their Zod-free files (`contracts/schools.ts`,
 * `contracts/territory-tree.ts`): the same values as the server's schemas, without pulling zod
 * into the browser bundle.
 */
export { SCHOOL_SECTORS, SCHOOL_TYPES } from "../contracts/schools.ts";
export { TERRITORY_LEVELS } from "../contracts/territory-tree.ts";
