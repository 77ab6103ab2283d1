/**
 * The built-in territorial referential is shared with the web app (the map), so it lives in the
 * contracts: `src/contracts/referential.ts`. The territories module owns it and exports it
 * through its door.
 */
export * from "../../contracts/referential.ts";
