import type { ColumnSpec } from "../framework/types.ts";
import { openDataProfile, push, type RowCells, type RowValue } from "./open-data.ts";

/**
 * `ivac`: the collèges' value-added indicators (IVAC, DEPP; data.education.gouv.fr
 * fr-en-indicateurs-valeur-ajoutee-colleges), one row per collège and DNB session: candidates,
 * success rate and its value added, written mark and its value added, per series (G général,
 * P professionnelle), access rate from 6e to 3e, share of 3e pupils present, mentions of the
 * general series. The published rates are the school's own (rounded): stored as such, never
 * summed; territories read the DNB success rate from the `dnb` profile's counts.
 */

const GENERAL = { dnb_series: "general" } as const;
const PROFESSIONAL = { dnb_series: "professional" } as const;

/** Each column with its labels: the 2022-2023 file's fields and the dataset's labels. */
const COLUMNS: readonly ColumnSpec[] = [
  ["candidatesG", "Nb_candidats_G", "Nb candidats G", "Nombre de candidats G"],
  ["rateG", "Taux_reussite_G", "Taux de réussite G", "Taux_de_reussite_G"],
  ["vaRateG", "VA_taux_reussite_G", "VA du taux de réussite G", "Valeur ajoutée du taux de réussite G"],
  ["candidatesP", "Nb_candidats_P", "Nb candidats P", "Nombre de candidats P"],
  ["rateP", "Taux_de_reussite_P", "Taux_reussite_P", "Taux de réussite P"],
  ["vaRateP", "VA_taux_reussite_P", "VA du taux de réussite P"],
  ["markG", "Note_ecrit_G", "Note à l'écrit G", "Note moyenne à l'écrit G"],
  ["vaMarkG", "VA_de_la_note_G", "VA de la note G", "Valeur ajoutée de la note G"],
  ["markP", "Note_ecrit_P", "Note à l'écrit P", "Note moyenne à l'écrit P"],
  ["vaMarkP", "VA_de_la_note_P", "VA de la note P"],
  ["access", "Taux_acces_6eme_3eme", "Taux d'accès 6ème-3ème", "Taux d'accès de la 6ème à la 3ème"],
  ["present", "Part_presents_3eme_ordinaire_Total", "Part des présents 3ème ordinaire total"],
  ["presentG", "Part_presents_3eme_ordinaire_G", "Part des présents 3ème ordinaire G"],
  ["presentP", "Part_presents_3eme_ordinaire_P", "Part des présents 3ème ordinaire P"],
  ["mentionsAB", "Nb_mentions_AB_G", "Nombre de mentions AB G", "Nb mentions AB G"],
  ["mentionsB", "Nb_mentions_B_G", "Nombre de mentions B G", "Nb mentions B G"],
  ["mentionsTB", "Nb_mentions_TB_G", "Nombre de mentions TB G", "Nb mentions TB G"],
  ["mentions", "Nb_mentions_global_G", "Nombre de mentions global G", "Nb mentions global G"],
].map(([key, ...labels]) => ({
  key: key as string,
  labels,
  required: key === "candidatesG" || key === "rateG",
}));

const VA_RATE = { min: -100, max: 100, what: "valeur ajoutée, en points" } as const;
const MARK = { min: 0, max: 20, what: "note sur 20" } as const;
const VA_MARK = { min: -20, max: 20, what: "valeur ajoutée de la note" } as const;

function series(cells: RowCells, values: RowValue[], s: "G" | "P"): number | null {
  const d = s === "G" ? GENERAL : PROFESSIONAL;
  const candidates = cells.count(`candidates${s}`, `candidats, série ${s}`);
  push(values, "ivac_candidates", candidates, d);
  push(values, "ivac_success_rate", cells.percentage(`rate${s}`, `taux de réussite, série ${s}`), d);
  push(values, "ivac_success_rate_value_added", cells.number(`vaRate${s}`, VA_RATE), d);
  push(values, "ivac_written_mark", cells.number(`mark${s}`, MARK), d);
  push(values, "ivac_written_mark_value_added", cells.number(`vaMark${s}`, VA_MARK), d);
  push(values, "ivac_share_present_3e", cells.percentage(`present${s}`, `part des présents, série ${s}`), d);
  return candidates;
}

function mentions(cells: RowCells, values: RowValue[], candidates: number | null): void {
  const ab = cells.count("mentionsAB", "mentions assez bien");
  const b = cells.count("mentionsB", "mentions bien");
  const tb = cells.count("mentionsTB", "mentions très bien");
  const all = cells.count("mentions", "mentions");
  if (ab !== null && b !== null && tb !== null && all !== null && ab + b + tb !== all)
    cells.reject("mentions", `AB + B + TB = ${ab + b + tb}, différent du total des mentions (${all})`);
  if (all !== null && candidates !== null && all > candidates)
    cells.reject("mentions", `${all} mentions pour ${candidates} candidats en série générale`);
  push(values, "ivac_mentions", ab, { dnb_mention: "assez_bien" });
  push(values, "ivac_mentions", b, { dnb_mention: "bien" });
  push(values, "ivac_mentions", tb, { dnb_mention: "tres_bien" });
  push(values, "ivac_mentions", all);
}

export const ivacProfile = openDataProfile({
  code: "ivac",
  label: "Indicateurs de valeur ajoutée des collèges (IVAC)",
  periodKind: "session",
  columns: COLUMNS,
  read: (cells) => {
    const values: RowValue[] = [];
    const g = series(cells, values, "G");
    const p = series(cells, values, "P");
    push(values, "ivac_candidates", g === null && p === null ? null : (g ?? 0) + (p ?? 0));
    push(values, "ivac_access_rate_6e_3e", cells.percentage("access", "taux d'accès de la 6e à la 3e"));
    push(values, "ivac_share_present_3e", cells.percentage("present", "part des présents en 3e"));
    mentions(cells, values, g);
    return { values, tally: { candidates: (g ?? 0) + (p ?? 0) } };
  },
});
