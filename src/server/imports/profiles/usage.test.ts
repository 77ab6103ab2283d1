import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProfileContext, ProfileValue, RowIssue } from "../framework/types.ts";
import { readWideLabel, usageHeader, usageProfile } from "./usage.ts";

/**
 * The usage profile on its own (no framework, no database): a header is matched here the way
 * the framework does (labels compared after normalisation), rows are fed one by one.
 */

const CONTEXT: ProfileContext = { school: null, period: null, today: "2025-06-30" };
const A = "0330001X"; // valid check letters (territories/codes.ts)
const B = "0330002Y";

const match = usageHeader;

interface Run {
  values: ProfileValue[];
  rejected: RowIssue[];
  duplicates: RowIssue[];
  summary: Readonly<Record<string, number>>;
  headerProblem: string | null;
}

function run(text: string, context: ProfileContext = CONTEXT): Run {
  const [head, ...lines] = text.trim().split("\n");
  const header = match((head as string).split(";"));
  const headerProblem = usageProfile.checkHeader?.(header) ?? null;
  const state = usageProfile.start(context, header);
  const values: ProfileValue[] = [];
  const rejected: RowIssue[] = [];
  const duplicates: RowIssue[] = [];
  lines.forEach((line, i) => {
    const outcome = usageProfile.row(state, { line: i + 2, cells: line.split(";") });
    if (outcome.kind === "accepted") values.push(...(outcome.values ?? []));
    else if (outcome.kind === "rejected") rejected.push(...outcome.issues);
    else if (outcome.kind === "duplicate") duplicates.push(outcome.issue);
  });
  const result = usageProfile.finish(state);
  values.push(...result.values);
  return { values, rejected, duplicates, summary: result.summary, headerProblem };
}

const key = (v: ProfileValue) =>
  `${v.uai} ${v.dataElement} ${v.period} ${Object.entries(v.disaggregation)
    .sort()
    .map(([k, o]) => `${k}=${o}`)
    .join(",")}`;

function table(values: readonly ProfileValue[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    expect(out[key(v)], `valeur en double : ${key(v)}`).toBeUndefined();
    out[key(v)] = v.value;
  }
  return out;
}

describe("usage profile, long layout", () => {
  const file = [
    "UAI;Période;Profil;Mesure;Application;Valeur",
    `${A};2025-03;Élèves;Connexions;;300`,
    `${A};2025-03;Enseignants;Connexions;;40`,
    `${A};2025-03;Élèves;Visiteurs uniques;;120`,
    `${A};2025-03;Enseignants;Visiteurs uniques;;15`,
    `${A};2025-03;Élèves;Comptes chargés;;400`,
    `${A};2025-03;Élèves;Comptes activés;;250`,
    `${A};2025-03;Enseignants;Comptes chargés;;50`,
    `${A};2025-03;Enseignants;Comptes activés;;50`,
    `${A};2025-03;Élèves;Nombre d'accès;Médiacentre;90`,
    `${A};2025-03;Enseignants;Nombre d'accès;Médiacentre;30`,
    `${A};2025-03;Enseignants;Visiteurs uniques;Moodle;6`,
    `${B};2025-W11;Tous profils;Connexions;;70`,
    `${B};2025-W11;Parents;Connexions;;20`,
  ].join("\n");

  it("stores each figure as delivered, totals the additive ones, never the unique visitors (hand-computed)", () => {
    const r = run(file);
    expect(r.rejected).toEqual([]);
    expect(r.headerProblem).toBeNull();
    expect(table(r.values)).toEqual({
      [`${A} ent_connections 2025-03 profile=pupil`]: 300,
      [`${A} ent_connections 2025-03 profile=teacher`]: 40,
      [`${A} ent_connections 2025-03 `]: 340,
      [`${A} ent_active_users 2025-03 profile=pupil`]: 120,
      [`${A} ent_active_users 2025-03 profile=teacher`]: 15,
      // no total of unique visitors: 135 would count a person in two profiles twice
      [`${A} ent_accounts 2025-03 profile=pupil`]: 400,
      [`${A} ent_accounts 2025-03 profile=teacher`]: 50,
      [`${A} ent_accounts 2025-03 `]: 450,
      [`${A} ent_accounts_activated 2025-03 profile=pupil`]: 250,
      [`${A} ent_accounts_activated 2025-03 profile=teacher`]: 50,
      [`${A} ent_accounts_activated 2025-03 `]: 300,
      [`${A} school_ent_activated 2025-03 `]: 1,
      [`${A} ent_service_accesses 2025-03 ent_service=mediacentre,profile=pupil`]: 90,
      [`${A} ent_service_accesses 2025-03 ent_service=mediacentre,profile=teacher`]: 30,
      [`${A} ent_service_accesses 2025-03 ent_service=mediacentre`]: 120,
      [`${A} resource_connections 2025-03 `]: 120,
      [`${A} ent_service_users 2025-03 ent_service=moodle,profile=teacher`]: 6,
      [`${A} ent_teachers_using_services 2025-03 ent_service=moodle`]: 6,
      // a delivered total wins over the sum of the profiles (20 parents of 70)
      [`${B} ent_connections 2025-W11 `]: 70,
      [`${B} ent_connections 2025-W11 profile=parent`]: 20,
    });
    expect(r.summary).toEqual({ schools: 2, periods: 2, services: 2, connections: 410 });
  });

  it("reads the accesses layout (Application ; Nombre d'accès) and French dates", () => {
    const r = run(
      [
        "UAI;Semaine du;Profil;Application;Nombre d'accès",
        `${A};10/03/2025;Élèves;Médiacentre;12`,
        `${A};10/03/2025;Élèves;Cahier de textes;7`,
      ].join("\n"),
    );
    expect(r.rejected).toEqual([]);
    expect(table(r.values)).toMatchObject({
      [`${A} ent_service_accesses 2025-W11 ent_service=mediacentre,profile=pupil`]: 12,
      [`${A} ent_service_accesses 2025-W11 ent_service=homework,profile=pupil`]: 7,
      [`${A} resource_connections 2025-W11 `]: 12,
    });
  });

  it("refuses unknown profiles, services and measures, bad counts, future dates, with line and column in French", () => {
    const r = run(
      [
        "UAI;Date;Profil;Mesure;Application;Valeur",
        `${A};2025-03-14;Invités;Connexions;;3`,
        `${A};2025-03-14;Élèves;Nombre d'accès;Kiosque imaginaire;3`,
        `${A};2025-03-14;Élèves;Temps passé;;3`,
        `${A};2025-03-14;Élèves;Connexions;;12,5`,
        `${A};2025-07-01;Élèves;Connexions;;3`,
        `0330001B;2025-03-14;Élèves;Connexions;;3`,
        `${A};2025-02-30;Élèves;Connexions;;3`,
        `${A};2025-03-14;Élèves;Nombre d'accès;;3`,
        `${A};2025-03-14;Élèves;Comptes activés;Moodle;3`,
      ].join("\n"),
    );
    expect(r.values).toEqual([]);
    expect(r.rejected.map((i) => [i.line, i.column])).toEqual([
      [2, "Profil"],
      [3, "Application"],
      [4, "Mesure"],
      [5, "Valeur"],
      [6, "Date"],
      [7, "UAI"],
      [8, "Date"],
      [9, "Application"],
      [10, "Application"],
    ]);
    const reasons = r.rejected.map((i) => i.reason);
    expect(reasons[0]).toMatch(/^profil « Invités » inconnu : profils acceptés Élèves, Enseignants/);
    expect(reasons[1]).toMatch(/^application ou connecteur « Kiosque imaginaire » inconnu/);
    expect(reasons[2]).toMatch(/^mesure « Temps passé » inconnue/);
    expect(reasons[3]).toBe("« 12,5 » n'est pas un nombre entier positif");
    expect(reasons[4]).toBe(
      "période 2025-07-01 dans le futur (elle commence le 2025-07-01, après aujourd'hui 2025-06-30)",
    );
    expect(reasons[5]).toMatch(/lettre de contrôle/);
    expect(reasons[6]).toBe("date « 2025-02-30 » inexistante");
    expect(reasons[7]).toBe("« Nombre d'accès » demande une application ou un connecteur");
    expect(reasons[8]).toBe("« Comptes activés » se compte pour l'ENT, pas par application");
  });

  it("keeps the first of two rows for the same figure and reports the second as a duplicate", () => {
    const r = run(
      [
        "UAI;Mois;Profil;Mesure;Valeur",
        `${A};2025-03;Élèves;Connexions;5`,
        `${A};2025-03;Élèves;Connexions;9`,
      ].join("\n"),
    );
    expect(r.duplicates).toHaveLength(1);
    expect(r.duplicates[0]?.line).toBe(3);
    expect(r.duplicates[0]?.reason).toMatch(/ligne 2/);
    expect(table(r.values)[`${A} ent_connections 2025-03 profile=pupil`]).toBe(5);
  });

  it("reads « Connexions » and « Nombre d'accès » to one application as one figure: the second row is a duplicate", () => {
    const r = run(
      [
        "UAI;Mois;Profil;Mesure;Application;Valeur",
        `${A};2025-01;Élèves;Connexions;Médiacentre;10`,
        `${A};2025-01;Élèves;Nombre d'accès;Médiacentre;0`,
      ].join("\n"),
    );
    expect(r.duplicates).toHaveLength(1);
    expect(r.duplicates[0]?.line).toBe(3);
    expect(table(r.values)[`${A} ent_service_accesses 2025-01 ent_service=mediacentre,profile=pupil`]).toBe(
      10,
    );
  });

  it("takes --period when the file has no period column, and a date in a « Mois » column as its month", () => {
    const r = run(["UAI;Profil;Mesure;Valeur", `${A};Élèves;Connexions;5`].join("\n"), {
      ...CONTEXT,
      period: "2025-02",
    });
    expect(r.values.map((v) => v.period)).toEqual(["2025-02", "2025-02"]);
    const m = run(["UAI;Mois;Profil;Mesure;Valeur", `${A};01/03/2025;Élèves;Connexions;5`].join("\n"));
    expect(m.values[0]?.period).toBe("2025-03");
    const none = run(["UAI;Profil;Mesure;Valeur", `${A};Élèves;Connexions;5`].join("\n"));
    expect(none.rejected[0]?.reason).toMatch(/^période manquante/);
  });
});

describe("usage profile, wide layout", () => {
  it("reads one column per measure × profile, and per application", () => {
    const r = run(
      [
        "UAI;Établissement;Mois;Connexions Élèves;Connexions Enseignants;Visiteurs uniques - Élèves;Visiteurs uniques (tous profils);Comptes chargés;Comptes activés;Accès Médiacentre;Connexions / visiteur unique",
        `${A};Collège A;2025-03;300;40;120;130;450;0;55;2,9`,
      ].join("\n"),
    );
    expect(r.headerProblem).toBeNull();
    expect(r.rejected).toEqual([]);
    expect(table(r.values)).toEqual({
      [`${A} ent_connections 2025-03 profile=pupil`]: 300,
      [`${A} ent_connections 2025-03 profile=teacher`]: 40,
      [`${A} ent_connections 2025-03 `]: 340,
      [`${A} ent_active_users 2025-03 profile=pupil`]: 120,
      [`${A} ent_active_users 2025-03 `]: 130,
      [`${A} ent_accounts 2025-03 `]: 450,
      [`${A} ent_accounts_activated 2025-03 `]: 0,
      [`${A} school_ent_activated 2025-03 `]: 0,
      [`${A} ent_service_accesses 2025-03 ent_service=mediacentre`]: 55,
      [`${A} resource_connections 2025-03 `]: 55,
    });
  });

  it("reads a profile column beside the measure columns (the stats module's per-profile export)", () => {
    const r = run(
      [
        "UAI;Date;Profil;Connexions;Visiteurs uniques",
        `${A};2025-03-03;Élèves;10;4`,
        `${A};2025-03-03;Parents;6;3`,
      ].join("\n"),
    );
    expect(table(r.values)).toEqual({
      [`${A} ent_connections 2025-03-03 profile=pupil`]: 10,
      [`${A} ent_connections 2025-03-03 profile=parent`]: 6,
      [`${A} ent_connections 2025-03-03 `]: 16,
      [`${A} ent_active_users 2025-03-03 profile=pupil`]: 4,
      [`${A} ent_active_users 2025-03-03 profile=parent`]: 3,
    });
  });

  it("refuses each value of a column naming an unknown profile, naming the column", () => {
    const r = run(
      ["UAI;Mois;Connexions Élèves;Connexions Invités", `${A};2025-03;3;4`, `${A};2025-04;3;`].join("\n"),
    );
    expect(r.rejected).toEqual([
      {
        line: 2,
        column: "Connexions Invités",
        reason: expect.stringMatching(
          /^colonne « Connexions Invités » : profil ou application « invites » inconnu/,
        ),
      },
    ]);
    // the second row has no value in that column: it is read
    expect(r.values.map(key)).toContain(`${A} ent_connections 2025-04 profile=pupil`);
  });

  it("says which columns it expected when there is no measure", () => {
    expect(run(["UAI;Mois;Commune", `${A};2025-03;Bordeaux`].join("\n")).headerProblem).toMatch(
      /^aucune colonne de mesure : attendu « Mesure »/,
    );
  });

  it("reads the labels of a wide header", () => {
    expect(readWideLabel("Comptes activés Enseignants", 0)).toMatchObject({
      measure: "accounts_activated",
      profile: "teacher",
    });
    expect(readWideLabel("Nombre d'accès Médiacentre Élèves", 0)).toMatchObject({
      measure: "accesses",
      service: "mediacentre",
      profile: "pupil",
    });
    expect(readWideLabel("Élèves - Connexions", 0)).toMatchObject({
      measure: "connections",
      profile: "pupil",
    });
    expect(readWideLabel("Pic de connexions journalier", 0)).toBeNull();
    expect(readWideLabel("Visites par visiteur unique", 0)).toBeNull();
  });
});

describe("usage profile, properties", () => {
  const cellText = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      "",
      "NA",
      A,
      B,
      "2025-03",
      "2025-W11",
      "14/03/2025",
      "Élèves",
      "Tous",
      "Connexions",
      "Médiacentre",
      "12",
      "-3",
      "1e9",
    ),
  );
  const headers = fc.constantFrom(
    "UAI;Période;Profil;Mesure;Application;Valeur",
    "UAI;Mois;Connexions Élèves;Visiteurs uniques;Accès Médiacentre",
    "UAI;Date;Profil;Connexions;Comptes chargés;Comptes activés",
    "UAI;Semaine;Profil;Application;Nombre d'accès",
  );

  it("never throws on arbitrary rows, and accounts for every row", () => {
    fc.assert(
      fc.property(
        headers,
        fc.array(fc.array(cellText, { maxLength: 8 }), { maxLength: 30 }),
        (head, rows) => {
          const header = match(head.split(";"));
          const state = usageProfile.start(CONTEXT, header);
          for (const [i, cells] of rows.entries()) {
            const outcome = usageProfile.row(state, { line: i + 2, cells });
            if (outcome.kind === "rejected") {
              expect(outcome.issues.length).toBeGreaterThan(0);
              for (const issue of outcome.issues) expect(issue.reason).toMatch(/^[«a-zéèA-ZÉ]/);
            }
          }
          const result = usageProfile.finish(state);
          for (const v of result.values) expect(Number.isInteger(v.value) && v.value >= 0).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  const uais = ["0330001X", "0330002Y", "0330003Z", "0330004A"];
  const row = fc.record({
    uai: fc.constantFrom(...uais),
    period: fc.constantFrom("2025-01", "2025-02", "2025-W11", "2025-03-14"),
    profile: fc.constantFrom("Élèves", "Enseignants", "Parents", "Personnels", "Tous profils"),
    measure: fc.constantFrom(
      "Connexions",
      "Visiteurs uniques",
      "Comptes chargés",
      "Comptes activés",
      "Nombre d'accès",
    ),
    service: fc.constantFrom("", "Médiacentre", "Moodle", "Messagerie"),
    value: fc.nat({ max: 100_000 }),
  });

  it("gives the same values whatever the order of the rows", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(row, {
          // One figure per key: connections to an application are its accesses (same stored figure).
          selector: (r) => `${r.uai}|${r.period}|${r.profile}|${figureOf(r.measure, r.service)}|${r.service}`,
          maxLength: 60,
        }),
        fc.nat(),
        (rows, seed) => {
          const lines = rows.map(
            (r) => `${r.uai};${r.period};${r.profile};${r.measure};${r.service};${r.value}`,
          );
          const shuffled = [...lines].sort((a, b) => ((hash(a) ^ seed) >>> 0) - ((hash(b) ^ seed) >>> 0));
          const head = "UAI;Période;Profil;Mesure;Application;Valeur";
          const one = run([head, ...lines].join("\n"));
          const two = run([head, ...shuffled].join("\n"));
          expect(table(two.values)).toEqual(table(one.values));
          expect(two.summary).toEqual(one.summary);
          expect(two.rejected.length).toBe(one.rejected.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** The figure a (measure, application) pair is stored as, as the profile reads it. */
function figureOf(measure: string, service: string): string {
  return service !== "" && (measure === "Connexions" || measure === "Nombre d'accès") ? "accès" : measure;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
