/**
 * French labels of the audit log's machine codes (the web app and the CSV export). Without Zod so
 * that the browser can import it. An action missing here is shown by its code: the log never
 * hides an event because nobody wrote its label yet.
 */

export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  "auth.login": "Connexion",
  "auth.login_failed": "Échec de connexion",
  "auth.locked": "Compte verrouillé après des échecs",
  "auth.logout": "Déconnexion",
  "auth.password_reset_request": "Demande de réinitialisation du mot de passe",
  "user.create": "Création de compte",
  "user.invite": "Invitation",
  "user.password_set": "Choix du mot de passe",
  "user.activate": "Activation de compte",
  "user.disable": "Désactivation de compte",
  "user.delete": "Suppression de compte",
  "role.grant": "Attribution de rôle",
  "role.revoke": "Retrait de rôle",
  "annuaire.import": "Import de l'Annuaire",
  "personal_data.deletion_request": "Demande de suppression de compte",
  "personal_data.request_done": "Demande de données personnelles traitée",
  "personal_data.request_refused": "Demande de données personnelles refusée",
  "settings.retention": "Modification des durées de conservation",
  "retention.purge": "Purge des données expirées",
  "roadmap.create": "Création de feuille de route",
  "roadmap.import": "Import de feuille de route (YAML)",
  "roadmap.update": "Modification de feuille de route",
  "roadmap.publish": "Publication de feuille de route",
  "roadmap.unpublish": "Retrait de la publication d'une feuille de route",
  "data_values.write": "Enregistrement de valeurs d'indicateurs (API)",
  "data_values.held.accept": "Valeur invraisemblable acceptée (publiée)",
  "data_values.held.reject": "Valeur invraisemblable rejetée (supprimée)",
  "values.import": "Import de valeurs d'indicateurs",
  "settings.confidentiality": "Modification des seuils du secret statistique",
  "roadmap.delete": "Suppression de feuille de route",
  "roadmap.checkpoint": "Point d'étape de feuille de route",
  "import.mapping.save": "Enregistrement d'une correspondance d'import",
  "import.mapping.delete": "Suppression d'une correspondance d'import",
  "imports.commit": "Import d'un fichier (Pix, ENT, données ouvertes…)",
  "imports.rollback": "Annulation d'un lot d'import",
};

export const AUDIT_ENTITY_LABELS: Readonly<Record<string, string>> = {
  user: "Compte",
  school: "Établissement",
  import_batch: "Import",
  setting: "Paramètre",
  personal_data_request: "Demande de données personnelles",
  session: "Session",
  retention: "Conservation",
  roadmap: "Feuille de route",
  data_value: "Valeurs d'indicateurs",
};

export const AUDIT_SOURCE_LABELS: Readonly<Record<string, string>> = {
  form: "Formulaire",
  import: "Import",
  cli: "Ligne de commande",
  api: "API",
  system: "Système",
  login: "Connexion",
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

export function auditEntityLabel(entityType: string): string {
  return AUDIT_ENTITY_LABELS[entityType] ?? entityType;
}
