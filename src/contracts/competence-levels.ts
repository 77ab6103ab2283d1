/**
 * Class levels the competences dashboards can focus on ('' = every level), with their labels.
 * Zod-free: the web app imports these values; `competences.ts` builds its schemas on them.
 */
export const COMPETENCE_LEVELS = ["", "troisieme", "terminale"] as const;
export type CompetenceLevel = (typeof COMPETENCE_LEVELS)[number];

export const COMPETENCE_LEVEL_LABELS: Record<CompetenceLevel, string> = {
  "": "Tous les niveaux",
  troisieme: "Troisième",
  terminale: "Terminale",
};
