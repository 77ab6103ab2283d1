import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Profile } from "../framework/types.ts";
import { dnbProfile } from "./dnb.ts";
import { enrolmentsProfile } from "./enrolments.ts";
import { ipsProfile } from "./ips.ts";
import { ivacProfile } from "./ivac.ts";
import { schoolYearOf } from "./open-data.ts";
import { matchHeader, runProfile, TEST_CONTEXT, valueTable } from "./open-data-testing.ts";

// Valid UAIs of Ille-et-Vilaine (check letter = ABCDEFGHJKLMNPRSTUVWXYZ[number mod 23]).
const U1 = "0350001L";
const U2 = "0350002M";
const U3 = "0350003N";
const U4 = "0350004P";

const csv = (...lines: string[]) => `${lines.join("\r\n")}\r\n`;

describe("open-data periods", () => {
  it("read a rentrée, a school year and a DNB session as the observatory's school year", () => {
    const today = "2026-12-01";
    expect(schoolYearOf("2022", "rentree", today)).toEqual({ period: "2022-2023" });
    expect(schoolYearOf("2021-2022", "rentree", today)).toEqual({ period: "2021-2022" });
    expect(schoolYearOf("2021/2022", "rentree", today)).toEqual({ period: "2021-2022" });
    expect(schoolYearOf("2023", "session", today)).toEqual({ period: "2022-2023" });
    expect(schoolYearOf("2026", "rentree", today)).toEqual({ period: "2026-2027" });
    expect(schoolYearOf("2027", "session", today)).toEqual({
      reason: "session 2027 dans le futur (aujourd'hui : 2026-12-01)",
    });
    expect(schoolYearOf("2027", "rentree", today)).toMatchObject({
      reason: expect.stringContaining("futur"),
    });
    expect(schoolYearOf("2021-2023", "rentree", today)).toMatchObject({
      reason: expect.stringContaining("la seconde année doit suivre la première"),
    });
    expect(schoolYearOf("rentrée", "rentree", today)).toMatchObject({
      reason: expect.stringContaining("n'est pas"),
    });
  });
});

describe("ips", () => {
  const HEADER =
    "Rentrée scolaire;Académie;Code du département;Département;UAI;Nom de l'établissment;Code INSEE de la commune;Nom de la commune;Secteur;IPS";
  const row = (period: string, uai: string, ips: string) =>
    `${period};RENNES;035;ILLE-ET-VILAINE;${uai};ECOLE;35085;COMBOURG;public;${ips}`;

  it("reads the écoles' file: one IPS per school, duplicates and bad rows with their reason", () => {
    const run = runProfile(
      ipsProfile,
      csv(
        HEADER,
        row("2021-2022", U1, "115.7"),
        row("2021-2022", U2, "107,4"),
        row("2021-2022", U1, "99"),
        row("2021-2022", U3, "NS"),
        row("2021-2022", "0350004A", "100"),
        row("2021-2022", U4, "250"),
        row("2027-2028", U4, "100"),
      ),
    );
    expect(valueTable(run.values)).toEqual(
      new Map([
        [`${U1}|ips|2021-2022|`, 115.7],
        [`${U2}|ips|2021-2022|`, 107.4],
      ]),
    );
    expect(run.duplicates).toEqual([
      { line: 4, column: "UAI", reason: "doublon de la ligne 2 (même UAI, même période)" },
    ]);
    expect(run.rejected).toEqual([
      {
        line: 5,
        column: null,
        reason: "aucune valeur publiée pour cet établissement (cellules vides ou non diffusées)",
      },
      { line: 6, column: "UAI", reason: "UAI « 0350004A » invalide : la lettre de contrôle devrait être P" },
      { line: 7, column: "IPS", reason: "250 hors des bornes 0 à 200 (IPS)" },
      {
        line: 8,
        column: "Rentrée scolaire",
        reason: "rentrée 2027 dans le futur (aujourd'hui : 2026-12-01)",
      },
    ]);
    // (115.7 + 107.4) / 2 = 111.55 → 111.6
    expect(run.result.summary).toMatchObject({
      rows: 2,
      schools: 2,
      values: 2,
      ipsSchools: 2,
      ipsMean: 111.6,
    });
  });

  it("reads the lycées' tracks, and the field names of the API exports (rentrée as a year)", () => {
    const lycees = runProfile(
      ipsProfile,
      csv(
        "Rentrée scolaire;UAI;Type de lycée;IPS voie GT;IPS voie PRO;IPS Ensemble GT-PRO;Ecart-type de l'IPS voie GT;Ecart-type de l'IPS voie PRO",
        `2022-2023;${U1};LPO;118,2;92,5;111;30,1;25`,
        `2022-2023;${U2};LP;;88;88;;24,5`,
      ),
    );
    expect(valueTable(lycees.values)).toEqual(
      new Map([
        [`${U1}|ips|2022-2023|`, 111],
        [`${U1}|ips|2022-2023|ips_track=general_technological`, 118.2],
        [`${U1}|ips|2022-2023|ips_track=vocational`, 92.5],
        [`${U1}|ips_standard_deviation|2022-2023|ips_track=general_technological`, 30.1],
        [`${U1}|ips_standard_deviation|2022-2023|ips_track=vocational`, 25],
        [`${U2}|ips|2022-2023|`, 88],
        [`${U2}|ips|2022-2023|ips_track=vocational`, 88],
        [`${U2}|ips_standard_deviation|2022-2023|ips_track=vocational`, 24.5],
      ]),
    );
    const fields = runProfile(
      ipsProfile,
      csv("rentree_scolaire,uai,ips,ecart_type_de_l_ips", `2022,${U3},95.5,28.3`),
      TEST_CONTEXT,
      ",",
    );
    expect(valueTable(fields.values)).toEqual(
      new Map([
        [`${U3}|ips|2022-2023|`, 95.5],
        [`${U3}|ips_standard_deviation|2022-2023|`, 28.3],
      ]),
    );
  });

  it("takes --period for a file without a rentrée, and refuses other periods when asked", () => {
    const noPeriod = csv("UAI;IPS", `${U1};101`);
    expect(() => runProfile(ipsProfile, noPeriod)).not.toThrow();
    expect(runProfile(ipsProfile, noPeriod).rejected).toEqual([
      {
        line: 2,
        column: null,
        reason: "période absente : le fichier n'a pas de colonne « Rentrée scolaire » ; indiquer --period",
      },
    ]);
    const asked = { ...TEST_CONTEXT, period: "2021-2022" };
    expect(valueTable(runProfile(ipsProfile, noPeriod, asked).values)).toEqual(
      new Map([[`${U1}|ips|2021-2022|`, 101]]),
    );
    const other = runProfile(ipsProfile, csv(HEADER, row("2022-2023", U1, "101")), asked);
    expect(other.rejected[0]?.reason).toBe("période 2022-2023 hors de la période demandée (2021-2022)");
  });

  it("refuses a file with no IPS column, saying which ones it expected", () => {
    const header = matchHeader(ipsProfile, ["Rentrée scolaire", "UAI", "Secteur"]);
    expect("missing" in header).toBe(false);
    expect(ipsProfile.checkHeader?.(header as Exclude<typeof header, { missing: string[] }>)).toContain(
      "aucune colonne d'IPS",
    );
  });
});

describe("enrolments", () => {
  const ECOLES =
    "Rentrée scolaire;Région académique;Académie;Département;Commune;Numéro de l'école;Dénomination principale;Patronyme;Secteur;REP;REP +;Nombre total de classes;Nombre total d'élèves;Nombre d'élèves en pré-élémentaire hors ULIS;Nombre d'élèves en élémentaire hors ULIS;Nombre d'élèves en ULIS;Nombre d'élèves en CP hors ULIS;Nombre d'élèves en CE1 hors ULIS;Nombre d'élèves en CE2 hors ULIS;Nombre d'élèves en CM1 hors ULIS;Nombre d'élèves en CM2 hors ULIS;tri;Code Postal";
  const ecole = (uai: string, figures: string) =>
    `2022;BRETAGNE;RENNES;ILLE-ET-VILAINE;ACIGNE;${uai};ECOLE PRIMAIRE PUBLIQUE;LE CHEVRE;PUBLIC;0;0;${figures};x;35690`;

  it("reads the écoles' file: total, classes and every first-degree level; the file's sums must hold", () => {
    const run = runProfile(
      enrolmentsProfile,
      csv(
        ECOLES,
        ecole(U1, "12;301;0;289;12;56;68;52;56;57"),
        ecole(U2, "7;176;176;0;0;0;0;0;0;0"),
        ecole(U3, "8;215;73;142;0;29;31;27;27;29"),
        ecole(U4, "8;216;73;142;0;29;31;27;27;28"),
      ),
    );
    const table = valueTable(run.values);
    expect(table.get(`${U1}|pupils_enrolled|2022-2023|`)).toBe(301);
    expect(table.get(`${U1}|classes|2022-2023|`)).toBe(12);
    expect(table.get(`${U1}|pupils_enrolled|2022-2023|level=cp`)).toBe(56);
    expect(table.get(`${U1}|pupils_enrolled|2022-2023|level=cm2`)).toBe(57);
    expect(table.get(`${U1}|pupils_enrolled|2022-2023|level=ulis_ecole`)).toBe(12);
    expect(table.get(`${U2}|pupils_enrolled|2022-2023|level=pre_elementaire`)).toBe(176);
    // 9 values per école: total, classes, pré-élémentaire, CP … CM2, ULIS.
    expect(run.values).toHaveLength(18);
    expect(run.rejected).toEqual([
      {
        line: 4,
        column: "Nombre d'élèves en élémentaire hors ULIS",
        reason: "CP + CE1 + CE2 + CM1 + CM2 = 143, différent des 142 élèves en élémentaire",
      },
      {
        line: 5,
        column: "Nombre total d'élèves",
        reason: "pré-élémentaire + élémentaire + ULIS = 215, différent du total (216)",
      },
    ]);
    expect(run.result.summary).toMatchObject({ rows: 2, schools: 2, pupils: 477 });
  });

  it("reads the second degree's totals over several years", () => {
    const run = runProfile(
      enrolmentsProfile,
      csv(
        "Annee_scolaire;Academie;Numero_d_etablissement;nom_etablissement;Nombre_d_eleves",
        `2018-2019;RENNES;${U1};COLLEGE A;768`,
        `2019-2020;RENNES;${U1};COLLEGE A;780`,
        `2019-2020;RENNES;${U2};LYCEE B;1 036`,
        `2019-2020;RENNES;${U3};LYCEE C;-4`,
      ),
    );
    expect(valueTable(run.values)).toEqual(
      new Map([
        [`${U1}|pupils_enrolled|2018-2019|`, 768],
        [`${U1}|pupils_enrolled|2019-2020|`, 780],
        [`${U2}|pupils_enrolled|2019-2020|`, 1036],
      ]),
    );
    expect(run.rejected).toEqual([
      { line: 5, column: "Nombre_d_eleves", reason: "-4 hors des bornes 0 à 100000 (nombre d'élèves)" },
    ]);
    expect(run.result.summary).toMatchObject({ schools: 2, periods: 2, pupils: 2584 });
  });

  it("reads the collèges' levels and sexes; a sex total only when every level gives it", () => {
    const run = runProfile(
      enrolmentsProfile,
      csv(
        "Rentrée scolaire;Numéro du collège;Nombre d'élèves total;Nombre total de 6èmes;Nombre total de 5èmes;Nombre total de 4èmes;Nombre total de 3èmes;6èmes filles;6èmes garçons;5èmes filles;5èmes garçons;4èmes filles;4èmes garçons;3èmes filles;3èmes garçons",
        `2023;${U1};400;100;110;95;95;48;52;55;55;50;45;47;48`,
        `2023;${U2};100;25;25;25;25;12;13;12;13;12;13;12;NA`,
      ),
    );
    const t = valueTable(run.values);
    expect(t.get(`${U1}|pupils_enrolled|2023-2024|`)).toBe(400);
    expect(t.get(`${U1}|pupils_enrolled|2023-2024|level=sixieme`)).toBe(100);
    expect(t.get(`${U1}|pupils_enrolled|2023-2024|level=troisieme`)).toBe(95);
    expect(t.get(`${U1}|pupils_enrolled|2023-2024|level=cinquieme,sex=girls`)).toBe(55);
    // Girls: 48 + 55 + 50 + 47 = 200; boys: 52 + 55 + 45 + 48 = 200.
    expect(t.get(`${U1}|pupils_enrolled|2023-2024|sex=girls`)).toBe(200);
    expect(t.get(`${U1}|pupils_enrolled|2023-2024|sex=boys`)).toBe(200);
    // U2's 3e boys are missing: its girls' total is given, its boys' is not.
    expect(t.get(`${U2}|pupils_enrolled|2023-2024|sex=girls`)).toBe(48);
    expect(t.has(`${U2}|pupils_enrolled|2023-2024|sex=boys`)).toBe(false);
  });
});

describe("enrolments of lycées", () => {
  it("sums each level's tracks, without a total column; a file with neither is refused", () => {
    const run = runProfile(
      enrolmentsProfile,
      csv(
        "Rentrée scolaire;Numéro du lycée;2ndes GT;2ndes GT filles;2ndes GT garçons;2ndes STHR;1ères G;1ères STMG;1ères STI2D;Terminales G;Terminales STMG;2ndes GT LV1 anglais",
        `2023;${U1};300;160;140;20;250;60;40;240;55;300`,
        `2023;${U2};100;50;50;;80;NA;0;75;;100`,
      ),
    );
    expect(valueTable(run.values)).toEqual(
      new Map([
        [`${U1}|pupils_enrolled|2023-2024|level=seconde`, 320],
        [`${U1}|pupils_enrolled|2023-2024|level=premiere_generale`, 250],
        [`${U1}|pupils_enrolled|2023-2024|level=premiere_technologique`, 100],
        [`${U1}|pupils_enrolled|2023-2024|level=terminale`, 295],
        [`${U2}|pupils_enrolled|2023-2024|level=seconde`, 100],
        [`${U2}|pupils_enrolled|2023-2024|level=premiere_generale`, 80],
        [`${U2}|pupils_enrolled|2023-2024|level=premiere_technologique`, 0],
        [`${U2}|pupils_enrolled|2023-2024|level=terminale`, 75],
      ]),
    );
    expect(() => runProfile(enrolmentsProfile, csv("Rentrée scolaire;UAI;Secteur", `2023;${U1};PU`))).toThrow(
      "colonnes par niveau",
    );
  });
});

describe("ivac", () => {
  const HEADER =
    "Session;UAI;nom_etab;nom_com;nom_dept;acad;Secteur;Nb_candidats_G;Taux_reussite_G;VA_taux_reussite_G;Nb_candidats_P;Taux_de_reussite_P;Note_ecrit_G;VA_de_la_note_G;Note_ecrit_P;Taux_acces_6eme_3eme;Part_presents_3eme_ordinaire_Total;Part_presents_3eme_ordinaire_G;Part_presents_3eme_ordinaire_P;Part_presents_3eme_Segpa_Total;Nb_mentions_AB_G;Nb_mentions_B_G;Nb_mentions_TB_G;Nb_mentions_global_G";

  it("reads the value-added indicators per series, and checks the mentions against their total", () => {
    const run = runProfile(
      ivacProfile,
      csv(
        HEADER,
        `2023;${U1};COLLEGE_A;BAGE;AIN;LYON;PU;127;93.0;-2.0;None;None;12.4;0.3;None;95.0;98.0;None;None;None;20;31;50;101`,
        `2022;${U2};COLLEGE_B;X;AIN;LYON;PU;80;85.0;1.0;12;75.0;10.5;-0.4;9.0;90.0;97.0;96.0;100.0;None;10;10;10;31`,
        `2022;${U3};COLLEGE_C;X;AIN;LYON;PU;80;185.0;1.0;None;None;None;None;None;None;None;None;None;None;None;None;None;None`,
      ),
    );
    const t = valueTable(run.values);
    expect(new Map([...t].filter(([k]) => k.startsWith(U1)))).toEqual(
      new Map([
        [`${U1}|ivac_candidates|2022-2023|dnb_series=general`, 127],
        [`${U1}|ivac_success_rate|2022-2023|dnb_series=general`, 93],
        [`${U1}|ivac_success_rate_value_added|2022-2023|dnb_series=general`, -2],
        [`${U1}|ivac_written_mark|2022-2023|dnb_series=general`, 12.4],
        [`${U1}|ivac_written_mark_value_added|2022-2023|dnb_series=general`, 0.3],
        [`${U1}|ivac_candidates|2022-2023|`, 127],
        [`${U1}|ivac_access_rate_6e_3e|2022-2023|`, 95],
        [`${U1}|ivac_share_present_3e|2022-2023|`, 98],
        [`${U1}|ivac_mentions|2022-2023|dnb_mention=assez_bien`, 20],
        [`${U1}|ivac_mentions|2022-2023|dnb_mention=bien`, 31],
        [`${U1}|ivac_mentions|2022-2023|dnb_mention=tres_bien`, 50],
        [`${U1}|ivac_mentions|2022-2023|`, 101],
      ]),
    );
    expect(run.rejected).toEqual([
      {
        line: 3,
        column: "Nb_mentions_global_G",
        reason: "AB + B + TB = 30, différent du total des mentions (31)",
      },
      {
        line: 4,
        column: "Taux_reussite_G",
        reason: "185.0 hors des bornes 0 à 100 (taux de réussite, série G)",
      },
    ]);
    expect(run.result.summary).toMatchObject({ rows: 1, schools: 1, values: 12, candidates: 127 });
  });
});

describe("dnb", () => {
  const HEADER =
    "Session;Numero d'etablissement;Type d'etablissement;Patronyme;Secteur d'enseignement;Commune;Inscrits;Presents;Admis;Admis sans mention;Nombre_d_admis_Mention_AB;Admis Mention bien;Admis Mention tres bien;Taux de reussite";

  it("reads the counts and the admitted per mention; the mentions must add up to the admitted", () => {
    const run = runProfile(
      dnbProfile,
      csv(
        HEADER,
        `2023;${U1};COLLEGE;A;PU;X;120;118;110;20;30;30;30;93,2%`,
        `2023;${U2};COLLEGE;B;PR;X;50;50;51;10;10;10;21;102%`,
        `2023;${U3};COLLEGE;C;PU;X;60;60;50;10;10;10;10;83%`,
        `2024;${U4};COLLEGE;D;PU;X;60;59;55;;;;;93%`,
      ),
    );
    const t = valueTable(run.values);
    expect(t).toEqual(
      new Map([
        [`${U1}|dnb_registered|2022-2023|`, 120],
        [`${U1}|dnb_present|2022-2023|`, 118],
        [`${U1}|dnb_admitted|2022-2023|`, 110],
        [`${U1}|dnb_admitted|2022-2023|dnb_mention=without`, 20],
        [`${U1}|dnb_admitted|2022-2023|dnb_mention=assez_bien`, 30],
        [`${U1}|dnb_admitted|2022-2023|dnb_mention=bien`, 30],
        [`${U1}|dnb_admitted|2022-2023|dnb_mention=tres_bien`, 30],
        [`${U4}|dnb_registered|2023-2024|`, 60],
        [`${U4}|dnb_present|2023-2024|`, 59],
        [`${U4}|dnb_admitted|2023-2024|`, 55],
      ]),
    );
    expect(run.rejected).toEqual([
      { line: 3, column: "Admis", reason: "51 admis pour 50 présents" },
      { line: 4, column: "Admis", reason: "somme des mentions (40) différente du nombre d'admis (50)" },
    ]);
    // 110 + 55 admitted of 118 + 59 present.
    expect(run.result.summary).toMatchObject({ rows: 2, present: 177, admitted: 165 });
  });
});

// --- properties --------------------------------------------------------------------------------

const ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ";
const uaiOf = (n: number) => {
  const digits = String(350_000 + n).padStart(7, "0");
  return `${digits}${ALPHABET[Number(digits) % 23]}`;
};

interface Generated {
  readonly profile: Profile;
  readonly header: string;
  readonly row: (uai: string, year: number, figures: readonly number[]) => string;
}

/** One valid row shape per profile, its figures drawn so that every check holds. */
const SHAPES: readonly Generated[] = [
  {
    profile: ipsProfile,
    header: "Rentrée scolaire;UAI;IPS;Ecart-type de l'IPS",
    row: (u, y, [a = 0, b = 0]) => `${y}-${y + 1};${u};${50 + (a % 100)},${b % 10};${b % 50}`,
  },
  {
    profile: enrolmentsProfile,
    header:
      "Rentrée scolaire;Numéro de l'école;Nombre total de classes;Nombre total d'élèves;Nombre d'élèves en pré-élémentaire hors ULIS;Nombre d'élèves en élémentaire hors ULIS;Nombre d'élèves en ULIS;Nombre d'élèves en CP hors ULIS;Nombre d'élèves en CE1 hors ULIS;Nombre d'élèves en CE2 hors ULIS;Nombre d'élèves en CM1 hors ULIS;Nombre d'élèves en CM2 hors ULIS",
    row: (u, y, [a = 0, b = 0, c = 0]) => {
      const levels = [a % 40, b % 40, c % 40, (a + b) % 40, (b + c) % 40];
      const elem = levels.reduce((s, x) => s + x, 0);
      return `${y};${u};${1 + (a % 10)};${elem + (b % 50) + (c % 5)};${b % 50};${elem};${c % 5};${levels.join(";")}`;
    },
  },
  {
    profile: dnbProfile,
    header:
      "Session;Numero d'etablissement;Inscrits;Presents;Admis;Admis sans mention;Admis Mention assez bien;Admis Mention bien;Admis Mention très bien",
    row: (u, y, [a = 0, b = 0, c = 0]) => {
      const m = [a % 30, b % 30, c % 30, (a + c) % 30];
      const admitted = m.reduce((s, x) => s + x, 0);
      return `${y + 1};${u};${admitted + (b % 7) + (c % 3)};${admitted + (b % 7)};${admitted};${m.join(";")}`;
    },
  },
  {
    profile: ivacProfile,
    header:
      "Session;UAI;Nb_candidats_G;Taux_reussite_G;VA_taux_reussite_G;Note_ecrit_G;Nb_mentions_AB_G;Nb_mentions_B_G;Nb_mentions_TB_G;Nb_mentions_global_G",
    row: (u, y, [a = 0, b = 0, c = 0]) =>
      `${y + 1};${u};${100 + (a % 50)};${a % 101}.0;${(b % 21) - 10}.0;${c % 21};${a % 30};${b % 30};${c % 30};${(a % 30) + (b % 30) + (c % 30)}`,
  },
];

const rowsArb = fc.uniqueArray(
  fc.record({
    school: fc.integer({ min: 1, max: 400 }),
    year: fc.integer({ min: 2015, max: 2024 }),
    figures: fc.array(fc.nat({ max: 10_000 }), { minLength: 3, maxLength: 3 }),
  }),
  { selector: (r) => `${r.school}|${r.year}`, minLength: 1, maxLength: 30 },
);

describe("open-data profiles, properties", () => {
  for (const shape of SHAPES) {
    it(`${shape.profile.code}: valid rows in any order give the same values and summary, every row accepted`, () => {
      fc.assert(
        fc.property(rowsArb, fc.integer(), (rows, seed) => {
          const lines = rows.map((r) => shape.row(uaiOf(r.school), r.year, r.figures));
          const shuffled =
            fc.sample(fc.shuffledSubarray(lines, { minLength: lines.length }), { seed, numRuns: 1 })[0] ??
            lines;
          const a = runProfile(shape.profile, csv(shape.header, ...lines));
          const b = runProfile(shape.profile, csv(shape.header, ...shuffled));
          expect(a.rejected).toEqual([]);
          expect(a.accepted).toBe(rows.length);
          expect(valueTable(b.values)).toEqual(valueTable(a.values));
          expect(b.result.summary).toEqual(a.result.summary);
        }),
        { numRuns: 40 },
      );
    });

    it(`${shape.profile.code}: arbitrary rows never throw, each gives one outcome, values stay finite`, () => {
      const cell = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom("None", "NA", "ND", "", "-1", "1e308", "12,5", uaiOf(7), "2023", "2021-2022"),
        fc.double().map(String),
      );
      const columns = shape.header.split(";").length;
      fc.assert(
        fc.property(
          fc.array(fc.array(cell, { minLength: 0, maxLength: columns + 2 }), { maxLength: 20 }),
          (rows) => {
            const text = csv(
              shape.header,
              ...rows.map((r) => r.map((c) => c.replace(/[;"\r\n]/g, " ")).join(";")),
            );
            const run = runProfile(shape.profile, text);
            expect(run.read).toBe(rows.length);
            expect(run.accepted + run.rejectedRows + run.duplicates.length).toBeLessThanOrEqual(rows.length);
            for (const v of run.values) {
              expect(Number.isFinite(v.value)).toBe(true);
              expect(v.period).toMatch(/^\d{4}-\d{4}$/);
              expect(v.uai).toMatch(/^\d{7}[A-Z]$/);
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
