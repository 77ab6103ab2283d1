import { fr } from "@codegouvfr/react-dsfr";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import type { TerritoryDetail } from "../../contracts/territories.ts";
import { nodeKey } from "../../contracts/territory-tree.ts";
import { plural } from "../format.ts";
import { CHILD_LEVEL_TITLES, levelLabel, territoryPath } from "./paths.ts";

/** The sub-territories of a territory, as tiles linking to their pages. */
export function TerritoryChildren({ territory }: { territory: TerritoryDetail }) {
  if (territory.childLevel === null) return null;
  const title = CHILD_LEVEL_TITLES[territory.childLevel];
  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby="sous-territoires-titre">
      <h2 id="sous-territoires-titre">
        {title} ({territory.children.length})
      </h2>
      {territory.children.length === 0 ? (
        <p>Aucun sous-territoire n'est connu pour ce territoire.</p>
      ) : (
        <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
          {territory.children.map((child) => (
            <li key={nodeKey(child)} className={fr.cx("fr-col-12", "fr-col-sm-6", "fr-col-lg-4")}>
              <Tile
                small
                orientation="horizontal"
                titleAs="h3"
                title={child.name}
                desc={plural(child.openSchools, "établissement ouvert", "établissements ouverts")}
                detail={child.level === "district" ? levelLabel(child.level, child.districtKind) : undefined}
                linkProps={{ to: territoryPath(child.level, child.code) }}
                enlargeLinkOrButton
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
