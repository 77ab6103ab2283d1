import { Link } from "react-router";
import { LegalPageLayout } from "./LegalPageLayout.tsx";

export const SITEMAP = [
  { to: "/", label: "Accueil" },
  {
    to: "/territoires",
    label: "Territoires",
    note: "puis chaque région académique, académie, département, bassin de formation et circonscription",
  },
  { to: "/etablissements", label: "Établissements", note: "puis la fiche de chaque établissement" },
  {
    to: "/indicateurs",
    label: "Indicateurs",
    note: "puis le tableau de bord de chaque indicateur, pour chaque territoire",
  },
  {
    to: "/competences",
    label: "Compétences numériques",
    note: "profils et certifications Pix, pour chaque territoire et chaque établissement",
  },
  {
    to: "/feuilles-de-route",
    label: "Feuilles de route",
    note: "puis chaque feuille de route, sa modification (selon les rôles) et chacun des cinq modèles",
  },
  {
    to: "/collecte",
    label: "Campagnes de collecte",
    note: "une fois connecté, selon les rôles : lancement, réponse d'un établissement, complétude",
  },
  { to: "/connexion", label: "Connexion", note: "et « Mot de passe oublié »" },
  { to: "/mon-compte", label: "Mon compte", note: "une fois connecté" },
  { to: "/mes-donnees", label: "Mes données", note: "une fois connecté" },
  { to: "/administration/import-annuaire", label: "Import de l'Annuaire", note: "administration" },
  {
    to: "/donnees/import",
    label: "Importer des données",
    note: "Pix, ENT, données ouvertes, fichier quelconque (selon les rôles)",
  },
  { to: "/administration/utilisateurs", label: "Utilisateurs et invitations", note: "administration" },
  { to: "/administration/journal", label: "Journal d'audit", note: "administration" },
  { to: "/administration/conservation", label: "Durées de conservation", note: "administration" },
  { to: "/administration/secret-statistique", label: "Secret statistique", note: "administration" },
  {
    to: "/administration/demandes-donnees",
    label: "Demandes sur les données personnelles",
    note: "administration",
  },
  { to: "/accessibilite", label: "Déclaration d'accessibilité" },
  { to: "/mentions-legales", label: "Mentions légales" },
  { to: "/donnees-personnelles", label: "Données personnelles" },
  { to: "/registre-des-traitements", label: "Registre des traitements" },
  { to: "/plan-du-site", label: "Plan du site" },
] as const;

export function SitemapPage() {
  return (
    <LegalPageLayout title="Plan du site">
      <ul>
        {SITEMAP.map((entry) => (
          <li key={entry.to}>
            <Link to={entry.to}>{entry.label}</Link>
            {"note" in entry ? ` (${entry.note})` : null}
          </li>
        ))}
      </ul>
    </LegalPageLayout>
  );
}
