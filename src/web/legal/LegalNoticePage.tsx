import { Link } from "react-router";
import { ExternalLink, LegalPageLayout } from "./LegalPageLayout.tsx";

export function LegalNoticePage() {
  return (
    <LegalPageLayout title="Mentions légales">
      <h2>Éditeur</h2>
      <p>
        Cette instance de Vigie est éditée par l'autorité académique ou la collectivité qui la met en service
        (délégation régionale académique au numérique éducatif, rectorat, services départementaux de
        l'éducation nationale ou collectivité territoriale). Ses coordonnées, le nom du directeur ou de la
        directrice de la publication et l'adresse de contact figurent dans la configuration de l'instance.
      </p>

      <h2>Hébergement</h2>
      <p>
        L'hébergeur est choisi par l'organisme éditeur. Vigie peut fonctionner sur un poste ou un serveur de
        l'organisme, avec une base de données intégrée, ou sur une infrastructure mutualisée avec un serveur
        PostgreSQL.
      </p>

      <h2>Logiciel libre</h2>
      <p>
        Vigie est un logiciel libre publié sous la{" "}
        <ExternalLink href="https://eupl.eu/1.2/fr/">
          licence publique de l'Union européenne (EUPL) 1.2
        </ExternalLink>
        . Il utilise le Système de design de l'État (DSFR), dont l'usage est réservé aux sites de l'État.
      </p>

      <h2>Sources des données</h2>
      <p>
        Les établissements proviennent de l'Annuaire de l'éducation publié par le ministère chargé de
        l'éducation nationale sur data.education.gouv.fr, sous licence ouverte. Le référentiel des académies
        et des régions académiques est celui du ministère ; les départements et régions suivent le code
        officiel géographique de l'Insee.
      </p>

      <h2>Accessibilité</h2>
      <p>
        La conformité de Vigie aux normes d'accessibilité numérique est décrite dans la{" "}
        <Link to="/accessibilite">déclaration d'accessibilité</Link>.
      </p>

      <h2>Données personnelles</h2>
      <p>
        Le traitement des données personnelles est décrit sur la page{" "}
        <Link to="/donnees-personnelles">données personnelles</Link>.
      </p>
    </LegalPageLayout>
  );
}
