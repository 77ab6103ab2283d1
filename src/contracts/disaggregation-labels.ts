/**
 * French labels of the breakdown options (« ventilations ») of the indicator catalogue
 * (data/templates/indicators.yaml), as the pages print them next to a value or an objective:
 * « Objectif 2021 (3e) ». Zod-free, shared by the server and the web app; a test checks that every
 * option of the catalogue has its label here. Class levels take their usual short form (3e, 2de).
 */
import { CRCN_AREAS, CRCN_COMPETENCES, PIX_MAX_LEVEL, pixLevelOption } from "./crcn.ts";

export const DISAGGREGATION_OPTION_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  level: {
    pre_elementaire: "Pré-élémentaire",
    cp: "CP",
    ce1: "CE1",
    ce2: "CE2",
    cm1: "CM1",
    cm2: "CM2",
    ulis_ecole: "ULIS école",
    sixieme: "6e",
    cinquieme: "5e",
    quatrieme: "4e",
    troisieme: "3e",
    seconde: "2de",
    premiere_generale: "1re générale",
    premiere_technologique: "1re technologique",
    premiere_professionnelle: "1re professionnelle",
    terminale: "Terminale",
  },
  degree: { first_degree: "Premier degré", second_degree: "Second degré" },
  profile: { pupil: "Élève", teacher: "Enseignant", parent: "Parent", staff: "Autre personnel" },
  school_type: {
    ecole_maternelle: "École maternelle",
    ecole_elementaire: "École élémentaire",
    ecole: "École (toutes)",
    college: "Collège",
    lycee: "Lycée (tous)",
    lycee_gt: "Lycée général et technologique",
    lycee_professionnel: "Lycée professionnel",
  },
  sector: { public: "Public", private: "Privé" },
  sex: { girls: "Filles", boys: "Garçons" },
  pix_orga_status: {
    not_activated: "Non activé",
    not_imported: "Activé, élèves non importés",
    imported_previous_year: "Élèves importés l'année précédente",
    active: "Actif",
  },
  training_theme: {
    digital: "Usages du numérique",
    inclusive_school: "Numérique et école inclusive",
    virtual_augmented_reality: "Réalité virtuelle ou augmentée",
    eac_digital: "Numérique et éducation artistique et culturelle",
  },
  referent_role: { erun: "ERUN (premier degré)", rupn: "RUPN (second degré)" },
  self_assessment_tool: { schematic: "SchémaTIC", selfie: "SELFIE" },
  committee_body: {
    department_steering_committee: "Comité départemental de pilotage du numérique éducatif",
    local_authority_steering_committee: "Comité de pilotage avec une collectivité",
  },
  ent_service: {
    moodle: "Moodle",
    web_conference: "Webconférence",
    audio_room: "Salle audio",
    gar_resource: "Ressource du GAR",
    mediacentre: "Médiacentre (GAR)",
    messaging: "Messagerie",
    homework: "Cahier de textes",
    school_life: "Vie scolaire",
    documents: "Espace documentaire",
    blog: "Blog",
    news: "Actualités",
    calendar: "Agenda",
    forum: "Forum",
    wiki: "Wiki",
    multimedia_notebook: "Cahier multimédia",
    collaborative_wall: "Mur collaboratif",
    collaborative_editor: "Pad",
    mind_map: "Carte mentale",
    exercises: "Exercices",
    forms: "Formulaires",
    booking: "Réservation de ressources",
    website: "Pages",
    directory: "Annuaire",
    office_suite: "Bureautique en ligne",
    pronote: "Pronote",
  },
  follow_up_module: {
    inclusion_research_partnership: "Partenariat de recherche pour l'inclusion (module de suivi partagé)",
  },
  ips_track: { general_technological: "Voie GT", vocational: "Voie professionnelle" },
  dnb_series: { general: "Série générale", professional: "Série professionnelle" },
  dnb_mention: { without: "Sans mention", assez_bien: "Assez bien", bien: "Bien", tres_bien: "Très bien" },
  computer_kind: { desktop: "Ordinateur fixe", laptop: "Ordinateur portable", thin_client: "Poste léger" },
  mobile_device_kind: { tablet: "Tablette", other_mobile: "Autre terminal mobile" },
  equipment_state: { functional: "En état de marche", out_of_order: "Hors service" },
  competence: Object.fromEntries(CRCN_COMPETENCES.map((c) => [c.option, `${c.code} ${c.name}`])),
  crcn_area: Object.fromEntries(CRCN_AREAS.map((a) => [a.option, `${a.code}. ${a.name}`])),
  pix_level: Object.fromEntries(
    Array.from({ length: PIX_MAX_LEVEL + 1 }, (_, n) => [pixLevelOption(n), `Niveau ${n}`]),
  ),
  pix_stage: Object.fromEntries(Array.from({ length: 11 }, (_, n) => [`stage_${n}`, `Palier ${n}`])),
};

/** A breakdown as stored in a roadmap (`{ level: "troisieme" }`) or as a series key (`level=troisieme`). */
export type Disaggregation = Readonly<Record<string, string>> | string;

function entriesOf(d: Disaggregation): [string, string][] {
  if (typeof d !== "string") return Object.entries(d);
  return d
    .split(",")
    .filter((part) => part !== "")
    .map((part): [string, string] => {
      const at = part.indexOf("=");
      return at < 0 ? [part, ""] : [part.slice(0, at), part.slice(at + 1)];
    });
}

/**
 * « 3e », « 3e, Filles »; '' for the total. An option the table does not know (a catalogue of
 * another instance) is shown as « dimension : option » rather than hidden.
 */
export function disaggregationLabel(d: Disaggregation | null | undefined): string {
  if (!d) return "";
  return entriesOf(d)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(
      ([dimension, option]) =>
        DISAGGREGATION_OPTION_LABELS[dimension]?.[option] ?? `${dimension} : ${option}`,
    )
    .join(", ");
}
