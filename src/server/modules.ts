/**
 * The server modules, lowest first. A module may import the door (`src/server/<module>/index.ts`)
 * of the modules listed before it, never those after it: a lower module reaches a higher one only
 * through a callback wired in `app.ts`. A new module adds its line at the end (or after the last
 * module it needs); `architecture.test.ts` enforces the order, the doors and the absence of cycles.
 */
export const SERVER_MODULES = [
  "platform",
  "territories",
  "identity",
  "indicators",
  "roadmaps",
  "imports",
  "competences",
  "collection",
] as const;

export type ServerModule = (typeof SERVER_MODULES)[number];
