import type { ColumnSpec } from "../framework/types.ts";
import { openDataProfile, push, type RowValue } from "./open-data.ts";

/**
 * `dnb`: the DNB results per school (data.education.gouv.fr fr-en-dnb-par-etablissement), one row
 * per school and session: registered, present, admitted, and admitted per mention (without,
 * assez bien, bien, très bien). Stored as counts (`dnb_registered`, `dnb_present`,
 * `dnb_admitted` with its `dnb_mention` breakdown) so that the success rate of a territory is
 * Σ admitted / Σ present (indicator `dnb_success_rate`), never a mean of the schools' rates; the
 * file's own « Taux de réussite » is not read.
 */

const COLUMNS: readonly ColumnSpec[] = [
  ["registered", true, "Inscrits", "Nombre d'inscrits", "Nombre_d_inscrits"],
  ["present", true, "Presents", "Présents", "Nombre de présents", "Nombre_de_presents"],
  ["admitted", true, "Admis", "Nombre total d'admis", "Nombre_total_d_admis"],
  ["without", false, "Admis sans mention", "Nombre d'admis sans mention", "Nombre_d_admis_sans_mention"],
  [
    "assezBien",
    false,
    "Admis Mention assez bien",
    "Admis mention AB",
    "Nombre d'admis Mention AB",
    "Nombre_d_admis_Mention_AB",
  ],
  [
    "bien",
    false,
    "Admis Mention bien",
    "Admis mention B",
    "Nombre d'admis Mention B",
    "Nombre_d_admis_Mention_B",
  ],
  [
    "tresBien",
    false,
    "Admis Mention très bien",
    "Admis mention TB",
    "Nombre d'admis Mention TB",
    "Nombre_d_admis_Mention_TB",
  ],
].map(([key, required, ...labels]) => ({
  key: key as string,
  required: required as boolean,
  labels: labels as string[],
}));

const MENTIONS = [
  ["without", "without", "admis sans mention"],
  ["assezBien", "assez_bien", "mentions assez bien"],
  ["bien", "bien", "mentions bien"],
  ["tresBien", "tres_bien", "mentions très bien"],
] as const;

export const dnbProfile = openDataProfile({
  code: "dnb",
  label: "Résultats du diplôme national du brevet par établissement",
  periodKind: "session",
  uaiLabels: [
    "Numéro d'établissement",
    "Numero d'etablissement",
    "Numero_d_etablissement",
    "numero_d_etablissement",
  ],
  columns: COLUMNS,
  read: (cells) => {
    const values: RowValue[] = [];
    const registered = cells.count("registered", "inscrits");
    const present = cells.count("present", "présents");
    const admitted = cells.count("admitted", "admis");
    if (present !== null && registered !== null && present > registered)
      cells.reject("present", `${present} présents pour ${registered} inscrits`);
    if (admitted !== null && present !== null && admitted > present)
      cells.reject("admitted", `${admitted} admis pour ${present} présents`);
    const byMention = MENTIONS.map(([key, option, what]) => ({ option, n: cells.count(key, what) }));
    const sum = byMention.reduce((s, m) => s + (m.n ?? 0), 0);
    // The mentions are a partition of the admitted: a wrong sum is a shifted or mistyped column.
    if (admitted !== null && byMention.every((m) => m.n !== null) && sum !== admitted)
      cells.reject("admitted", `somme des mentions (${sum}) différente du nombre d'admis (${admitted})`);
    push(values, "dnb_registered", registered);
    push(values, "dnb_present", present);
    push(values, "dnb_admitted", admitted);
    for (const m of byMention) push(values, "dnb_admitted", m.n, { dnb_mention: m.option });
    return { values, tally: { present: present ?? 0, admitted: admitted ?? 0 } };
  },
});
