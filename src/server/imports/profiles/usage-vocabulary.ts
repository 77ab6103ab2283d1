/**
 * The words of an ENT's usage statistics (the « Statistiques » application of the ENT, its CSV
 * exports, a provider's API batch): measures, user profiles, applications and connectors. Each
 * is matched after `normalizeWord` (accents, case, apostrophes, punctuation and spaces ignored),
 * so that « Comptes activés », « COMPTES ACTIVES » and « comptes_actives » are one measure. The
 * English codes are accepted too (the API documents them).
 */

export type UsageMeasure =
  | "connections"
  | "unique_visitors"
  | "accounts_loaded"
  | "accounts_activated"
  | "accesses";

/** A profile option of the catalogue's `profile` disaggregation, or the total of every profile. */
export type UsageProfile = "pupil" | "teacher" | "parent" | "staff" | "total";

/** Lower case, no accents, straight apostrophes, punctuation and underscores as single spaces. */
export function normalizeWord(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[^a-z0-9']+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function index<T extends string>(entries: readonly (readonly [T, readonly string[]])[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const [code, aliases] of entries) {
    out.set(normalizeWord(code), code);
    for (const alias of aliases) out.set(normalizeWord(alias), code);
  }
  return out;
}

export const MEASURE_LABELS: Record<UsageMeasure, string> = {
  connections: "Connexions",
  unique_visitors: "Visiteurs uniques",
  accounts_loaded: "Comptes chargés",
  accounts_activated: "Comptes activés",
  accesses: "Nombre d'accès",
};

const MEASURES = index<UsageMeasure>([
  [
    "connections",
    ["Connexions", "Connexion", "Nombre de connexions", "Visites", "Nombre de visites", "Authentifications"],
  ],
  [
    "unique_visitors",
    [
      "Visiteurs uniques",
      "Visiteur unique",
      "Visiteurs distincts",
      "Utilisateurs uniques",
      "Utilisateurs distincts",
      "Utilisateurs actifs",
    ],
  ],
  ["accounts_loaded", ["Comptes chargés", "Compte chargé", "Comptes ouverts", "Comptes créés", "Comptes"]],
  ["accounts_activated", ["Comptes activés", "Compte activé", "Activations"]],
  ["accesses", ["Nombre d'accès", "Accès", "Nb d'accès", "Accès aux applications", "Accès aux connecteurs"]],
]);

export const PROFILE_LABELS: Record<UsageProfile, string> = {
  pupil: "Élèves",
  teacher: "Enseignants",
  parent: "Parents",
  staff: "Personnels",
  total: "Tous profils",
};

const PROFILES = index<UsageProfile>([
  ["pupil", ["Élève", "Élèves", "Student", "Students", "Apprenant", "Apprenants"]],
  ["teacher", ["Enseignant", "Enseignants", "Teacher", "Teachers", "Professeur", "Professeurs"]],
  [
    "parent",
    [
      "Parent",
      "Parents",
      "Relative",
      "Relatives",
      "Responsable légal",
      "Responsables légaux",
      "Responsables",
    ],
  ],
  [
    "staff",
    [
      "Personnel",
      "Personnels",
      "Staff",
      "Personnels non enseignants",
      "Personnel administratif",
      "Autre personnel",
      "Autres personnels",
    ],
  ],
  [
    "total",
    ["Tous", "Tous profils", "Tous profils confondus", "Tous les profils", "Total", "Ensemble", "All"],
  ],
]);

/**
 * Applications and connectors, by the catalogue's `ent_service` options (data/templates/
 * indicators.yaml). The aliases are the names ENT statistics use for their modules (the
 * Edifice/ODE « Statistiques » application's list among them); a name not listed is refused
 * with its line and column, never guessed.
 */
const SERVICES = index<string>([
  ["mediacentre", ["Médiacentre", "Media centre", "Médiacentre GAR", "GAR Médiacentre", "Médiacentre (GAR)"]],
  ["gar_resource", ["GAR", "Ressource du GAR", "Ressources du GAR", "Ressource GAR", "Ressources GAR"]],
  ["moodle", ["Moodle", "Éléa", "Elea"]],
  [
    "web_conference",
    [
      "Webconférence",
      "Web conférence",
      "WebConference",
      "Classe virtuelle",
      "Classes virtuelles",
      "Accès à une salle virtuelle",
      "Salle virtuelle",
      "Visioconférence",
    ],
  ],
  ["audio_room", ["Salle audio", "Salles audio"]],
  ["messaging", ["Messagerie", "Conversation", "Zimbra", "Courriel", "Messagerie Riot", "Riot"]],
  ["homework", ["Cahier de textes", "Cahier de texte", "Homeworks", "Diary"]],
  [
    "school_life",
    [
      "Vie scolaire",
      "Viescolaire",
      "Présences",
      "Presences",
      "Compétences",
      "Competences",
      "Edt",
      "Emploi du temps",
    ],
  ],
  ["pronote", ["Pronote"]],
  ["documents", ["Espace documentaire", "Workspace", "Documents", "Casier", "Rack", "ShareBigFiles"]],
  ["blog", ["Blog", "Blogs"]],
  ["news", ["Actualités", "Actualites", "Actus"]],
  ["calendar", ["Agenda", "Calendar", "Calendrier"]],
  ["forum", ["Forum", "Forums"]],
  ["wiki", ["Wiki", "Wikis"]],
  ["multimedia_notebook", ["Cahier multimédia", "Scrapbook"]],
  ["collaborative_wall", ["Mur collaboratif", "Murs collaboratifs", "CollaborativeWall"]],
  ["collaborative_editor", ["Pad", "Pads", "CollaborativeEditor", "Édition collaborative", "Etherpad"]],
  ["mind_map", ["Carte mentale", "Cartes mentales", "Mindmap"]],
  ["exercises", ["Exercices", "Exercices et évaluations", "Exercizer"]],
  ["forms", ["Formulaire", "Formulaires", "Sondage", "Sondages", "Poll"]],
  ["booking", ["Réservation de ressources", "Réservations", "Rbs"]],
  ["website", ["Pages", "Website", "Site web", "Sites web"]],
  ["directory", ["Annuaire"]],
  ["office_suite", ["Lool", "Suite bureautique", "LibreOffice Online", "Collabora"]],
]);

/** Services whose accesses are accesses to educational resources (the GAR): `resource_connections`. */
export const GAR_SERVICES: ReadonlySet<string> = new Set(["mediacentre", "gar_resource"]);

/**
 * A look-up by the cell as written, remembered: a file repeats the same few words on every row,
 * and normalising them (NFD, several replacements) was most of the profile's time. Bounded, so
 * that arbitrary cells cannot grow it without limit.
 */
function remembered<T>(table: ReadonlyMap<string, T>): (text: string) => T | undefined {
  const seen = new Map<string, T | null>();
  return (text) => {
    const known = seen.get(text);
    if (known !== undefined) return known ?? undefined;
    const found = table.get(normalizeWord(text));
    if (seen.size < 10_000) seen.set(text, found ?? null);
    return found;
  };
}

export const measureOf: (text: string) => UsageMeasure | undefined = remembered(MEASURES);
export const profileOf: (text: string) => UsageProfile | undefined = remembered(PROFILES);
export const serviceOf: (text: string) => string | undefined = remembered(SERVICES);

/** Every normalised measure word, longest first (to cut a wide column's label). */
export const MEASURE_WORDS: readonly string[] = [...MEASURES.keys()].sort((a, b) => b.length - a.length);
export const PROFILE_WORDS: readonly string[] = [...PROFILES.keys()].sort((a, b) => b.length - a.length);

export const PROFILES_ACCEPTED = "Élèves, Enseignants, Parents, Personnels ou Tous profils";
