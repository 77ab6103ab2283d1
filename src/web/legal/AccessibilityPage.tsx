import { Link } from "react-router";
import { ExternalLink, LegalPageLayout } from "./LegalPageLayout.tsx";

export function AccessibilityPage() {
  return (
    <LegalPageLayout title="Déclaration d'accessibilité">
      <p>
        L'organisme qui met en service cette instance de Vigie s'engage à rendre ses services numériques
        accessibles, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.
      </p>
      <p>
        Cette déclaration d'accessibilité s'applique à Vigie, application de pilotage du numérique éducatif.
      </p>

      <h2>État de conformité</h2>
      <p>
        Vigie est <strong>non conforme</strong> avec le référentiel général d'amélioration de l'accessibilité
        (RGAA), version 4.1.2 : aucun audit de conformité n'a encore été réalisé. Un audit est prévu ; cette
        déclaration sera mise à jour avec ses résultats.
      </p>

      <h2>Résultats des tests</h2>
      <p>
        En attendant l'audit, chaque page de Vigie est vérifiée automatiquement, à chaque modification du
        code, avec l'outil axe-core (règles WCAG 2.1 niveaux A et AA), en thème clair et en thème sombre,
        ainsi que sur un écran de téléphone. Ces tests automatiques ne détectent qu'une partie des défauts
        d'accessibilité : ils ne remplacent pas un audit.
      </p>

      <h2>Contenus non accessibles</h2>
      <p>Les limites connues à ce jour sont les suivantes :</p>
      <ul>
        <li>
          la navigation au clavier et la restitution par les lecteurs d'écran n'ont pas encore été testées
          manuellement ;
        </li>
        <li>les tableaux longs ne proposent pas de tri ni de résumé ;</li>
        <li>les fichiers CSV produits ou attendus par Vigie ne sont pas accompagnés d'une alternative.</li>
      </ul>

      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie le 24 novembre 2026.</p>
      <h3>Technologies utilisées</h3>
      <ul>
        <li>HTML5</li>
        <li>CSS (Système de design de l'État, DSFR)</li>
        <li>JavaScript (React)</li>
        <li>WAI-ARIA</li>
      </ul>
      <h3>Environnement de test</h3>
      <p>Tests automatiques avec Chromium et axe-core, à 1280 et 375 pixels de large.</p>

      <h2>Retour d'information et contact</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez le responsable de cette
        instance de Vigie (voir les <Link to="/mentions-legales">mentions légales</Link>) pour être orienté
        vers une alternative accessible ou obtenir le contenu sous une autre forme.
      </p>

      <h2>Voies de recours</h2>
      <p>
        Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service
        et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :
      </p>
      <ul>
        <li>
          écrire un message au{" "}
          <ExternalLink href="https://formulaire.defenseurdesdroits.fr/">Défenseur des droits</ExternalLink> ;
        </li>
        <li>
          contacter{" "}
          <ExternalLink href="https://www.defenseurdesdroits.fr/carte-des-delegues">
            le délégué du Défenseur des droits dans votre région
          </ExternalLink>{" "}
          ;
        </li>
        <li>
          envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre
          réponse 71120, 75342 Paris CEDEX 07.
        </li>
      </ul>
    </LegalPageLayout>
  );
}
