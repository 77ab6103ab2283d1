import { Link } from "react-router";
import { ExternalLink, LegalPageLayout } from "./LegalPageLayout.tsx";

export function PersonalDataPage() {
  return (
    <LegalPageLayout title="Données personnelles">
      <p>
        Vigie est conçu pour piloter le numérique éducatif à partir de données agrégées. Aucun nom d'élève ni
        d'enseignant n'y est enregistré.
      </p>

      <h2>Données traitées</h2>
      <p>
        Vigie contient des informations publiques sur les établissements scolaires (identifiant UAI, nom,
        adresse, coordonnées de l'établissement, effectifs globaux) issues de l'Annuaire de l'éducation : ce
        ne sont pas des données personnelles.
      </p>
      <p>
        Les personnes qui pilotent le numérique éducatif y ont un compte, sur invitation : adresse
        électronique, nom, rôles et territoires, sessions de connexion. Chaque écriture et chaque connexion
        est inscrite au journal d'audit. Le{" "}
        <Link to="/registre-des-traitements">registre des traitements</Link> détaille les finalités, la base
        légale, les destinataires et les durées de conservation de ces données.
      </p>
      <p>
        Une fois connecté, la page <Link to="/mes-donnees">Mes données</Link> vous montre tout ce que Vigie
        conserve sur vous, vous permet de le télécharger et de demander la suppression de votre compte.
      </p>

      <h2>Cookies et stockage local</h2>
      <p>
        Vigie ne dépose aucun cookie de mesure d'audience ni de publicité. Une fois connecté, un cookie de
        session strictement nécessaire (<code>vigie_session</code>) vous garde connecté, 12 heures au plus.
        Votre choix de thème d'affichage (clair, sombre ou celui du système) est enregistré dans votre
        navigateur (stockage local) pour être réappliqué à votre prochaine visite ; il n'est pas transmis au
        serveur.
      </p>

      <h2>Journaux techniques</h2>
      <p>
        Pour assurer la sécurité et le bon fonctionnement du service, le serveur peut enregistrer des journaux
        techniques (date, adresse demandée, code de réponse). Leur durée de conservation est fixée par
        l'organisme qui met en service cette instance.
      </p>

      <h2>Vos droits</h2>
      <p>
        Conformément au règlement général sur la protection des données (RGPD) et à la loi « Informatique et
        libertés », vous disposez d'un droit d'accès, de rectification, d'effacement et d'opposition. Pour les
        exercer, contactez le délégué ou la déléguée à la protection des données de l'organisme qui met en
        service cette instance. Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une
        réclamation à la{" "}
        <ExternalLink href="https://www.cnil.fr/fr/plaintes">
          Commission nationale de l'informatique et des libertés (CNIL)
        </ExternalLink>
        .
      </p>
    </LegalPageLayout>
  );
}
