import type { ColumnSpec, MatchedHeader } from "../framework/types.ts";
import { openDataProfile, push, type RowCells, type RowValue } from "./open-data.ts";

/**
 * `ips`: the social position index (IPS) of écoles, collèges and lycées published by the DEPP
 * (data.education.gouv.fr fr-en-ips_ecoles, fr-en-ips_colleges, fr-en-ips_lycees, and the
 * académies' copies). One row per school and rentrée: « IPS » (écoles, collèges) or, for lycées,
 * « IPS voie GT », « IPS voie PRO » and « IPS Ensemble GT-PRO », each with its standard deviation
 * when the file has it. Stored as `ips` and `ips_standard_deviation`, the lycées' tracks under
 * the `ips_track` breakdown; the whole school's figure is the total.
 */

const IPS_BOUNDS = { min: 0, max: 200, what: "IPS" } as const;
const SD_BOUNDS = { min: 0, max: 100, what: "écart-type de l'IPS" } as const;

const COLUMNS: readonly ColumnSpec[] = [
  {
    key: "ips",
    labels: [
      "IPS",
      "ips",
      "Indice de position sociale",
      "IPS Ensemble GT-PRO",
      "ips_ensemble_gt_pro",
      "IPS ensemble",
    ],
    required: false,
  },
  { key: "ipsGt", labels: ["IPS voie GT", "ips_voie_gt"], required: false },
  { key: "ipsPro", labels: ["IPS voie PRO", "ips_voie_pro"], required: false },
  {
    key: "sd",
    labels: [
      "Ecart-type de l'IPS",
      "Écart-type de l'IPS",
      "ecart_type_de_l_ips",
      "Ecart type de l'IPS",
      "Ecart-type de l'IPS Ensemble GT-PRO",
      "ecart_type_de_l_ips_ensemble_gt_pro",
    ],
    required: false,
  },
  { key: "sdGt", labels: ["Ecart-type de l'IPS voie GT", "ecart_type_de_l_ips_voie_gt"], required: false },
  { key: "sdPro", labels: ["Ecart-type de l'IPS voie PRO", "ecart_type_de_l_ips_voie_pro"], required: false },
];

const GT = { ips_track: "general_technological" } as const;
const PRO = { ips_track: "vocational" } as const;

function checkHeader(header: MatchedHeader): string | null {
  if (["ips", "ipsGt", "ipsPro"].some((k) => header.columns.has(k))) return null;
  return "aucune colonne d'IPS : « IPS » (écoles, collèges) ou « IPS voie GT », « IPS voie PRO », « IPS Ensemble GT-PRO » (lycées) attendue";
}

function read(cells: RowCells) {
  const values: RowValue[] = [];
  const ips = cells.number("ips", IPS_BOUNDS);
  push(values, "ips", ips);
  push(values, "ips", cells.number("ipsGt", IPS_BOUNDS), GT);
  push(values, "ips", cells.number("ipsPro", IPS_BOUNDS), PRO);
  push(values, "ips_standard_deviation", cells.number("sd", SD_BOUNDS));
  push(values, "ips_standard_deviation", cells.number("sdGt", SD_BOUNDS), GT);
  push(values, "ips_standard_deviation", cells.number("sdPro", SD_BOUNDS), PRO);
  // The school's mean (never the tracks' mean: their pupils differ) feeds the summary.
  // Summed in hundredths, as integers: a floating-point sum would depend on the rows' order.
  return {
    values,
    tally: { ipsSchools: ips === null ? 0 : 1, ipsSum: ips === null ? 0 : Math.round(ips * 100) },
  };
}

export const ipsProfile = openDataProfile({
  code: "ips",
  label: "Indice de position sociale (IPS) des écoles, collèges et lycées",
  periodKind: "rentree",
  columns: COLUMNS,
  checkHeader,
  read,
  summarize: ({ ipsSum = 0, ipsSchools = 0 }) => ({
    ipsSchools,
    // The simple mean of the schools' IPS, to one decimal (0 without any).
    ipsMean: ipsSchools > 0 ? Math.round(ipsSum / ipsSchools / 10) / 10 : 0,
  }),
});
