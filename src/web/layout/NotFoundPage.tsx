import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "react-router";
import { usePageTitle } from "./usePageTitle.ts";

type Props = {
  /** Main heading; default: « Page non trouvée ». */
  title?: string;
  /** French explanation, e.g. the message answered by the API. */
  message?: string;
};

/** The DSFR « page non trouvée » template, also used for unknown territories and schools. */
export function NotFoundPage({ title = "Page non trouvée", message }: Props) {
  usePageTitle(title);
  return (
    <div className={fr.cx("fr-my-7w", "fr-mt-md-12w", "fr-mb-md-10w")}>
      <h1>{title}</h1>
      <p className={fr.cx("fr-text--sm", "fr-mb-3w")}>Erreur 404</p>
      {message ? <p className={fr.cx("fr-text--lead", "fr-mb-3w")}>{message}</p> : null}
      <p className={fr.cx("fr-text--sm", "fr-mb-5w")}>
        La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée. Si vous avez tapé
        l'adresse web dans le navigateur, vérifiez qu'elle est correcte. La page n'est peut-être plus
        disponible : dans ce cas, pour continuer votre visite, vous pouvez consulter notre page d'accueil, ou
        effectuer une recherche parmi les établissements.
      </p>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <li>
          <Link className={fr.cx("fr-btn")} to="/">
            Page d'accueil
          </Link>
        </li>
        <li>
          <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to="/etablissements">
            Rechercher un établissement
          </Link>
        </li>
      </ul>
    </div>
  );
}
