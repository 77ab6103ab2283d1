import { fr } from "@codegouvfr/react-dsfr";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { DEMO_TERRITORY } from "../../contracts/demo.ts";
import { api, territoryKeys } from "../api.ts";
import { plural } from "../format.ts";
import { KeyIndicatorsSection } from "../indicators/KeyIndicatorsSection.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { territoryPath } from "../territories/paths.ts";

const ENTRY_POINTS = [
  {
    title: "Indicateurs",
    desc: "Le catalogue des indicateurs des feuilles de route : pour chaque territoire, valeur, couverture, comparaisons, évolution, carte et exports.",
    to: "/indicateurs",
  },
  {
    title: "Feuilles de route",
    desc: "Les stratégies du numérique éducatif, de l'ambition à l'objectif chiffré, avec l'état de chaque objectif et les points d'étape.",
    to: "/feuilles-de-route",
  },
  {
    title: "Territoires",
    desc: "Parcourir la France, ses 18 régions académiques, ses académies, départements, bassins et circonscriptions, avec leurs chiffres clés.",
    to: "/territoires",
  },
  {
    title: "Établissements",
    desc: "Rechercher un établissement par UAI ou par nom, filtrer par type, secteur et éducation prioritaire.",
    to: "/etablissements",
  },
  {
    title: "Import de l'Annuaire",
    desc: "Mettre à jour les établissements à partir d'un export de l'Annuaire de l'éducation, après vérification.",
    to: "/administration/import-annuaire",
  },
] as const;

export function HomePage() {
  usePageTitle("Accueil");
  return (
    <>
      <div className={fr.cx("fr-my-6w")}>
        <h1>Vigie, piloter le numérique éducatif par les données</h1>
        <p className={fr.cx("fr-text--lead")}>
          Vigie aide les autorités académiques (DRANE, DANE, rectorats, services départementaux), les
          collectivités et les chefs d'établissement à conduire leur stratégie du numérique éducatif : qui
          nous sommes, où nous voulons aller, où nous en sommes et ce qui est fait.
        </p>
        <p>
          Vous y trouvez les indicateurs de l'observatoire pour chaque territoire, les feuilles de route avec
          l'état de leurs objectifs, et le référentiel des territoires et des établissements, alimenté par
          l'Annuaire de l'éducation. Les collectes et l'autodiagnostic viendront ensuite.
        </p>
      </div>
      <h2>Par où commencer ?</h2>
      <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
        {ENTRY_POINTS.map((entry) => (
          <li key={entry.to} className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Tile
              title={entry.title}
              titleAs="h3"
              desc={entry.desc}
              linkProps={{ to: entry.to }}
              enlargeLinkOrButton
            />
          </li>
        ))}
      </ul>
      <DemoTerritory />
    </>
  );
}

/** The demo territory: its school count and key indicators, each leading to its page. */
function DemoTerritory() {
  const { level, code, name } = DEMO_TERRITORY;
  const territory = useQuery({
    queryKey: territoryKeys.territory(level, code),
    queryFn: () => api.territory(level, code),
  });
  const counts = territory.data;
  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby="territoire-demonstration-titre">
      <h2 id="territoire-demonstration-titre">Territoire de démonstration : {name}</h2>
      <p>
        Les établissements et les valeurs de la démonstration sont synthétiques, générés pour découvrir Vigie.{" "}
        {counts && counts.openSchools > 0
          ? `La région académique compte ${plural(counts.openSchools, "établissement ouvert", "établissements ouverts")} et ${plural(counts.pupils, "élève")}. `
          : null}
        <Link to={territoryPath(level, code)}>Voir la région académique {name}</Link>
      </p>
      <KeyIndicatorsSection level={level} code={code} title={`Indicateurs clés : ${name}`} />
    </section>
  );
}
