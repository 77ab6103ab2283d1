import type { WebPermission } from "./permissions.ts";

/** The administration pages, each shown (header menu, « Mon compte ») to the holders of its permission. */
export const ADMIN_PAGES: readonly { to: string; label: string; permission: WebPermission }[] = [
  { to: "/administration/import-annuaire", label: "Import de l'Annuaire", permission: "import.annuaire" },
  { to: "/donnees/import", label: "Importer des données", permission: "indicators.write" },
  { to: "/administration/utilisateurs", label: "Utilisateurs et invitations", permission: "users.manage" },
  { to: "/administration/journal", label: "Journal d'audit", permission: "audit.read" },
  { to: "/administration/conservation", label: "Durées de conservation", permission: "settings.manage" },
  { to: "/administration/secret-statistique", label: "Secret statistique", permission: "settings.manage" },
  {
    to: "/administration/demandes-donnees",
    label: "Demandes sur les données personnelles",
    permission: "settings.manage",
  },
];
