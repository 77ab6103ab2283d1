import { fr } from "@codegouvfr/react-dsfr";
import type { TerritoryDetail } from "../../contracts/territories.ts";
import { formatInteger } from "../format.ts";

/** Open and closed schools and pupils of a territory, as three figures. */
export function KeyFigures({ territory }: { territory: TerritoryDetail }) {
  const figures = [
    {
      label: territory.openSchools < 2 ? "établissement ouvert" : "établissements ouverts",
      value: territory.openSchools,
    },
    {
      label: territory.closedSchools < 2 ? "établissement fermé" : "établissements fermés",
      value: territory.closedSchools,
    },
    { label: territory.pupils < 2 ? "élève" : "élèves", value: territory.pupils },
  ];
  return (
    <section className={fr.cx("fr-mt-4w")} aria-labelledby="chiffres-cles-titre">
      <h2 id="chiffres-cles-titre">Chiffres clés</h2>
      <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
        {figures.map((figure) => (
          <li key={figure.label} className={fr.cx("fr-col-12", "fr-col-sm-4")}>
            <div className={fr.cx("fr-p-3w")} style={{ border: "1px solid var(--border-default-grey)" }}>
              <p className={fr.cx("fr-h3", "fr-mb-0")}>{formatInteger(figure.value)}</p>
              <p className={fr.cx("fr-mb-0")}>{figure.label}</p>
            </div>
          </li>
        ))}
      </ul>
      <p className={fr.cx("fr-text--sm", "fr-mt-2w")}>
        Les élèves sont ceux des établissements ouverts dont l'effectif est connu.
      </p>
    </section>
  );
}
