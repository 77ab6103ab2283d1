import type { SchoolSector, SchoolType } from "./territories.ts";
import {
  DISTRICT_KIND_LABELS,
  LEVEL_LABELS,
  TERRITORY_LEVELS,
  type TerritoryLevel,
} from "./territory-tree.ts";

/** French labels of the identifiers used by the API (shared by the web app and exports). */
export const SCHOOL_TYPE_LABELS: Record<SchoolType, string> = {
  ecole_maternelle: "École maternelle",
  ecole_elementaire: "École élémentaire",
  ecole_primaire: "École primaire",
  college: "Collège",
  lycee_gt: "Lycée général et technologique",
  lycee_polyvalent: "Lycée polyvalent",
  lycee_professionnel: "Lycée professionnel",
  lycee_agricole: "Lycée agricole",
  erea: "EREA",
  medico_social: "Établissement médico-social",
  administration: "Service administratif",
  autre: "Autre",
};

export const SCHOOL_SECTOR_LABELS: Record<SchoolSector, string> = {
  public: "Public",
  private_contract: "Privé sous contrat",
  private_no_contract: "Privé hors contrat",
};

/** The titles of the territory levels (from the one table of `territory-tree.ts`). */
export const TERRITORY_LEVEL_LABELS: Record<TerritoryLevel, string> = Object.fromEntries(
  TERRITORY_LEVELS.map((level) => [level, LEVEL_LABELS[level].title]),
) as Record<TerritoryLevel, string>;

export { DISTRICT_KIND_LABELS };
