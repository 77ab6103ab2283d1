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
  { to: "/administration/import-annuaire", label: "Import de l'Annuaire" },
  { to: "/accessibilite", label: "Déclaration d'accessibilité" },
  { to: "/mentions-legales", label: "Mentions légales" },
  { to: "/donnees-personnelles", label: "Données personnelles" },
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
