/**
 * Door of the usage API inside the imports module (docs/imports.md, « API d'usage des
 * fournisseurs »): provider tokens, `POST /api/v1/usage/batches`, `vigie usage token …`.
 */

export { receiveUsageBatch } from "./batches.ts";
export { registerUsageCommands } from "./commands.ts";
export { registerUsageApiRoutes } from "./routes.ts";
export { authenticateUsageToken, createUsageToken, listUsageTokens, revokeUsageToken } from "./tokens.ts";
