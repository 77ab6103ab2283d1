import { fr } from "@codegouvfr/react-dsfr";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import { usePageTitle } from "../layout/usePageTitle.ts";

const ENTRY_POINTS = [
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
    title: "Indicateurs",
    desc: "Lire les indicateurs des feuilles de route pour chaque territoire : valeur, couverture, comparaisons, évolution, carte et exports.",
    to: "/indicateurs",
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
          Cette première version présente le référentiel des territoires et des établissements, alimenté par
          l'Annuaire de l'éducation. Les feuilles de route, les indicateurs, les collectes et l'autodiagnostic
          arriveront dans les prochaines versions.
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
    </>
  );
}
