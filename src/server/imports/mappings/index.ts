/** Mapping profiles of the generic import (docs/imports.md, « Fichier quelconque »). */

export { registerMappingRoutes } from "./routes.ts";
export { catalogueRules, mappingProblems } from "./rules.ts";
export { deleteMapping, findMapping, genericProfile, listMappings, saveMapping } from "./store.ts";
