import { ExternalLink, LegalPageLayout } from "./LegalPageLayout.tsx";

export function PersonalDataPage() {
  return (
    <LegalPageLayout title="Données personnelles">
      <p>
        Vigie est conçu pour piloter le numérique éducatif à partir de données agrégées. Aucun nom d'élève ni
        d'enseignant n'y est enregistré.
      </p>

      <h2>Données traitées dans cette version</h2>
      <p>
        Cette version de Vigie ne crée pas de compte utilisateur et ne collecte aucune donnée personnelle par
        formulaire. Elle contient des informations publiques sur les établissements scolaires (identifiant
        UAI, nom, adresse, coordonnées de l'établissement, effectifs globaux) issues de l'Annuaire de
        l'éducation.
      </p>

      <h2>Cookies et stockage local</h2>
      <p>
        Vigie ne dépose aucun cookie de mesure d'audience ni de publicité. Votre choix de thème d'affichage
        (clair, sombre ou celui du système) est enregistré dans votre navigateur (stockage local) pour être
        réappliqué à votre prochaine visite ; il n'est pas transmis au serveur.
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
