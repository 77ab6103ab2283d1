/**
 * Group sets of the observatory: every aggregate exists for all schools ('') and for each group
 * of these sets, down to the département. Each set is a partition of the schools, so that
 * `all = Σ groups` holds and statistical confidentiality can use it as an equation.
 */

export interface SchoolAttributes {
  readonly type: string;
  readonly sector: string;
  readonly priority: string | null;
}

export interface GroupSet {
  readonly code: string;
  readonly label: string;
  readonly groups: readonly { key: string; label: string; test: (s: SchoolAttributes) => boolean }[];
}

const ECOLE = new Set(["ecole_maternelle", "ecole_elementaire", "ecole_primaire"]);
const LYCEE = new Set(["lycee_gt", "lycee_polyvalent", "lycee_agricole"]);
const NAMED_TYPES = new Set([...ECOLE, ...LYCEE, "college", "lycee_professionnel"]);

export const GROUP_SETS: readonly GroupSet[] = [
  {
    code: "sector",
    label: "Secteur",
    groups: [
      { key: "sector=public", label: "Public", test: (s) => s.sector === "public" },
      { key: "sector=private", label: "Privé", test: (s) => s.sector !== "public" },
    ],
  },
  {
    code: "priority",
    label: "Éducation prioritaire",
    groups: [
      { key: "priority=REP+", label: "REP+", test: (s) => s.priority === "REP+" },
      { key: "priority=REP", label: "REP", test: (s) => s.priority === "REP" },
      { key: "priority=none", label: "Hors éducation prioritaire", test: (s) => s.priority === null },
    ],
  },
  {
    code: "type",
    label: "Type d'établissement",
    groups: [
      { key: "type=ecole", label: "Écoles", test: (s) => ECOLE.has(s.type) },
      { key: "type=college", label: "Collèges", test: (s) => s.type === "college" },
      {
        key: "type=lycee",
        label: "Lycées généraux, technologiques et polyvalents",
        test: (s) => LYCEE.has(s.type),
      },
      {
        key: "type=lycee_professionnel",
        label: "Lycées professionnels",
        test: (s) => s.type === "lycee_professionnel",
      },
      { key: "type=other", label: "Autres établissements", test: (s) => !NAMED_TYPES.has(s.type) },
    ],
  },
];

export const ALL_GROUPS = GROUP_SETS.flatMap((set) => set.groups);

export const GROUP_LABELS: ReadonlyMap<string, string> = new Map([
  ["", "Tous les établissements"],
  ...ALL_GROUPS.map((g): [string, string] => [g.key, g.label]),
]);

/** The peers of a school: its own group in the type set. */
export function typeGroupOf(school: SchoolAttributes): string {
  const set = GROUP_SETS.find((s) => s.code === "type") as GroupSet;
  return (set.groups.find((g) => g.test(school)) as { key: string }).key;
}
