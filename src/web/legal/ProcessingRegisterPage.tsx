import { fr } from "@codegouvfr/react-dsfr";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { identityApi, identityKeys } from "../identity/identity-api.ts";
import { ExternalLink, LegalPageLayout } from "./LegalPageLayout.tsx";

/**
 * The register of processing activities (art. 30 GDPR) for what Vigie itself processes. Static
 * and honest: what the code does, the defaults it ships with, and what the organisation running
 * the instance must fill in (controller, DPO) — said as such rather than invented.
 */

const TO_CONFIGURE = "à renseigner par l'organisme qui met en service cette instance";

type Processing = {
  id: string;
  name: string;
  purposes: string;
  legalBasis: string;
  people: string;
  data: string;
  recipients: string;
  retention: string;
};

export const PROCESSINGS: readonly Processing[] = [
  {
    id: "comptes",
    name: "Comptes et accès",
    purposes:
      "Identifier les personnes qui se connectent, leur attribuer des rôles limités à un territoire (académie, département, établissement…), les inviter et leur permettre de choisir ou de réinitialiser leur mot de passe, protéger les comptes (verrouillage après des échecs).",
    legalBasis:
      "Mission d'intérêt public (article 6.1.e du RGPD) : le pilotage du service public de l'éducation et de sa politique numérique par les autorités académiques (code de l'éducation).",
    people:
      "Agents des services académiques et départementaux, personnels de direction et référents numériques des établissements, agents des collectivités territoriales invités.",
    data: "Adresse électronique, prénom et nom, rôles et territoires, date de création et de dernière connexion, empreinte du mot de passe (argon2id, qui ne permet pas de le retrouver), nombre d'échecs de connexion. Avec ProConnect : identifiant transmis par ProConnect, fournisseur d'identité, SIRET de la structure. Sessions : dates, adresse IP, navigateur. Liens d'invitation et de réinitialisation : seulement leur empreinte.",
    recipients:
      "Les administrateurs nationaux de l'instance ; pour les comptes ayant un rôle dans leur territoire, les personnes chargées d'en gérer les rôles (pilotage de région académique, d'académie, département). ProConnect lors d'une connexion par ProConnect. Aucune cession ni transfert hors de l'Union européenne par Vigie ; l'hébergement est choisi par l'organisme.",
    retention:
      "Le compte : tant qu'il est utile, jusqu'à sa suppression à la demande de la personne ou d'un administrateur. Sessions : jusqu'à leur expiration (12 heures au plus), puis 30 jours par défaut. Liens : jusqu'à leur usage ou expiration (1 heure à 7 jours), puis 30 jours par défaut.",
  },
  {
    id: "journal",
    name: "Journal d'audit",
    purposes:
      "Garder la trace de chaque écriture (import, compte, rôle, paramètre) et de chaque connexion : qui, quand, quoi, depuis quel formulaire ou quel import. Rendre compte des changements de données et enquêter sur un incident de sécurité.",
    legalBasis:
      "Mission d'intérêt public (article 6.1.e du RGPD) et obligation de sécurité du traitement (article 32 du RGPD).",
    people: "Les personnes qui se connectent ou écrivent dans Vigie, et celles dont le compte est modifié.",
    data: "Adresse électronique de l'auteur, date et heure, action, objet concerné, territoire, résumé de la modification (jamais un mot de passe ni un jeton), adresse IP et identifiant de la requête.",
    recipients:
      "Les administrateurs nationaux (tout le journal) ; les équipes de pilotage de région académique et d'académie (les événements de leur territoire, sans les adresses IP).",
    retention:
      "365 jours par défaut après l'événement (recommandation de la CNIL pour les journaux : de six mois à un an), réglable par l'administrateur national. À la suppression d'un compte, son adresse est remplacée par « compte supprimé n° … ».",
  },
  {
    id: "fichiers",
    name: "Fichiers envoyés pour un import",
    purposes:
      "Vérifier un fichier avant de l'enregistrer (simulation et rapport), puis enregistrer exactement le fichier vérifié, une seule fois.",
    legalBasis:
      "Mission d'intérêt public (article 6.1.e du RGPD) : le pilotage du service public de l'éducation et de sa politique numérique.",
    people:
      "Les personnes qui envoient un fichier. Les exports de l'Annuaire de l'éducation ne décrivent que des établissements ; les imports à venir (effectifs, usages) pourront contenir d'autres données, décrites ici avec eux.",
    data: "Le fichier tel qu'il a été envoyé, son nom, sa taille, son empreinte SHA-256, la date d'envoi, l'identifiant du compte qui l'a envoyé, le rapport complet de la simulation (lignes rejetées et doublons).",
    recipients:
      "La personne qui a envoyé le fichier, seule à pouvoir le confirmer et télécharger son rapport. Les fichiers restent sur le serveur de l'instance.",
    retention:
      "Un fichier jamais confirmé est supprimé avec son rapport 7 jours après son envoi par défaut (réglable par l'exploitant : VIGIE_UPLOAD_RETENTION_DAYS). Un fichier confirmé est supprimé dès son enregistrement, son rapport complet au bout de la même durée ; le compte rendu de l'import reste dans l'historique des imports et le journal d'audit.",
  },
  {
    id: "droits",
    name: "Demandes d'exercice des droits",
    purposes:
      "Recevoir et traiter les demandes de suppression de compte, et garder la preuve de leur traitement.",
    legalBasis: "Obligation légale (article 6.1.c et articles 12 à 22 du RGPD).",
    people: "Les personnes qui font une demande depuis la page « Mes données ».",
    data: "Adresse électronique, message facultatif, dates de la demande et de son traitement, décision.",
    recipients: "Les administrateurs nationaux de l'instance.",
    retention: "3 ans par défaut après la clôture de la demande, réglable par l'administrateur national.",
  },
];

export function ProcessingRegisterPage() {
  const contacts = useQuery({
    queryKey: identityKeys.privacyContacts,
    queryFn: identityApi.privacyContacts,
    staleTime: Infinity,
  });
  return (
    <LegalPageLayout title="Registre des traitements">
      <p>
        Cette page décrit les traitements de données personnelles que réalise Vigie, conformément à l'article
        30 du règlement général sur la protection des données (RGPD). Vigie ne traite aucune donnée
        personnelle d'élève ni d'enseignant : les établissements y sont décrits par des données publiques de
        l'Annuaire de l'éducation et les résultats ne sont enregistrés qu'agrégés.
      </p>

      <h2>Responsable de traitement</h2>
      <p>
        Le responsable de traitement est l'organisme qui met en service cette instance de Vigie (ministère,
        région académique, rectorat, services départementaux ou collectivité) :{" "}
        <strong>{contacts.data?.controller ?? TO_CONFIGURE}</strong>.
      </p>
      <h2>Délégué à la protection des données</h2>
      <p>
        Coordonnées du délégué ou de la déléguée à la protection des données :{" "}
        <strong>{contacts.data?.dpo ?? TO_CONFIGURE}</strong>.
        {contacts.data?.dpo
          ? null
          : " Tant qu'elles ne sont pas renseignées (variable VIGIE_DPO_CONTACT du serveur), adressez-vous à l'organisme qui vous a invité dans Vigie."}
      </p>

      <nav aria-label="Traitements du registre" className={fr.cx("fr-mb-4w")}>
        <ul>
          {PROCESSINGS.map((p) => (
            <li key={p.id}>
              <a href={`#${p.id}`}>{p.name}</a>
            </li>
          ))}
        </ul>
      </nav>

      {PROCESSINGS.map((p) => (
        <section key={p.id} aria-labelledby={p.id} className={fr.cx("fr-mb-4w")}>
          <h2 id={p.id}>{p.name}</h2>
          <Table
            caption={`Traitement « ${p.name} »`}
            headers={["Rubrique", "Description"]}
            noScroll
            data={[
              ["Finalités", p.purposes],
              ["Base légale", p.legalBasis],
              ["Personnes concernées", p.people],
              ["Catégories de données", p.data],
              ["Destinataires", p.recipients],
              ["Durée de conservation", p.retention],
            ]}
          />
        </section>
      ))}

      <h2>Cookies</h2>
      <p>
        Vigie dépose deux cookies strictement nécessaires, exemptés de consentement :{" "}
        <code>vigie_session</code> (votre session, 12 heures au plus) et, pendant une connexion par
        ProConnect, <code>vigie_proconnect</code> (10 minutes). Votre choix de thème est gardé dans votre
        navigateur. Aucun cookie de mesure d'audience ni de publicité.
      </p>

      <h2>Vos droits</h2>
      <p>
        Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation et d'opposition. La
        page <Link to="/mes-donnees">Mes données</Link> vous montre tout ce que Vigie conserve sur vous, vous
        permet de le télécharger et de demander la suppression de votre compte. Pour les autres droits,
        écrivez au délégué à la protection des données. Si vous estimez que vos droits ne sont pas respectés,
        vous pouvez adresser une réclamation à la{" "}
        <ExternalLink href="https://www.cnil.fr/fr/plaintes">
          Commission nationale de l'informatique et des libertés (CNIL)
        </ExternalLink>
        .
      </p>
      <p>
        Les durées de conservation indiquées sont celles par défaut ; l'administrateur national peut les
        modifier. Une purge quotidienne supprime ce qui les dépasse.
      </p>
    </LegalPageLayout>
  );
}
