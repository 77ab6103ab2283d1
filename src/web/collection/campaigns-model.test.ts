import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "../../contracts/identity.ts";
import {
  type CampaignForm,
  containsTerritory,
  defaultPeriod,
  FIELD_IDS,
  manageScopes,
  OTHER_TERRITORY,
  parseUais,
  periodError,
  readCampaignForm,
  respondingSchools,
  rowLink,
  schoolStatusCells,
  statusPath,
  submittedCells,
} from "./campaigns-model.ts";

function user(roles: [string, string, string?][]): SessionUser {
  return {
    id: "1",
    email: "x@ac-bordeaux.fr",
    givenName: null,
    familyName: null,
    roles: roles.map(([role, territory, label]) => ({
      role: role as SessionUser["roles"][number]["role"],
      territory,
      territoryLabel: label ?? territory,
    })),
  };
}

const form = (over: Partial<CampaignForm> = {}): CampaignForm => ({
  template: "equipment",
  periodKind: "school_year",
  territoryChoice: "academy:04",
  territoryText: "",
  title: "",
  period: "2025-2026",
  opensOn: "2026-01-05",
  closesOn: "2026-02-02",
  expiryDays: "",
  schoolTypes: [],
  sector: "",
  priorityEducation: false,
  uais: "",
  respondents: "",
  feed: "",
  ...over,
});

describe("who does what, from the session", () => {
  it("a DANE manages their académie; a school head answers for their school only when the campaign asks their role", () => {
    const dane = user([["academy-steering", "academy:04", "Bordeaux"]]);
    expect(manageScopes(dane)).toEqual([{ key: "academy:04", label: "Bordeaux" }]);
    const head = user([
      ["school-head", "school:0330001A", "Collège A"],
      ["school-referent", "school:0330002B", "Collège B"],
    ]);
    expect(manageScopes(head)).toEqual([]);
    expect(respondingSchools(head, { respondents: ["school-head"] })).toEqual([
      { uai: "0330001A", label: "Collège A" },
    ]);
    expect(respondingSchools(head, { respondents: ["school-head", "school-referent"] })).toHaveLength(2);
    expect(respondingSchools(dane, { respondents: ["school-head", "school-referent"] })).toEqual([]);
  });

  it("contains territories along the referential (Bordeaux in Nouvelle-Aquitaine, Gironde in Bordeaux, not in Poitiers)", () => {
    expect(containsTerritory("nation:FR", "department:33")).toBe(true);
    expect(containsTerritory("academicRegion:75", "academy:04")).toBe(true);
    expect(containsTerritory("academy:04", "department:33")).toBe(true);
    expect(containsTerritory("academicRegion:75", "department:33")).toBe(true);
    expect(containsTerritory("academy:13", "department:33")).toBe(false);
    expect(containsTerritory("department:33", "academy:04")).toBe(false);
    expect(containsTerritory("academy:04", "academy:04")).toBe(true);
    expect(containsTerritory("academy:04", "nonsense")).toBe(false);
  });

  it("links the completeness on the campaign's territory, or on the user's own part of it", () => {
    const campaign = { id: "7", territory: "academy:04" };
    expect(statusPath(user([["academy-steering", "academy:04"]]), campaign)).toBe("/collecte/7/suivi");
    expect(statusPath(user([["region-steering", "academicRegion:75"]]), campaign)).toBe("/collecte/7/suivi");
    expect(statusPath(user([["department", "department:33"]]), campaign)).toBe(
      "/collecte/7/suivi?territory=department%3A33",
    );
    expect(statusPath(user([["school-head", "school:0330001A"]]), campaign)).toBeNull();
  });
});

describe("periods", () => {
  it("defaults to the current school year from August, and to the civil year", () => {
    expect(defaultPeriod("school_year", "2026-07-31")).toBe("2025-2026");
    expect(defaultPeriod("school_year", "2026-08-01")).toBe("2026-2027");
    expect(defaultPeriod("year", "2026-12-01")).toBe("2026");
  });

  it("accepts a school year only when its two years follow each other (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1000, max: 9999 }), (a, b) => {
        expect(periodError("school_year", `${a}-${b}`) === null).toBe(b === a + 1);
        expect(periodError("year", `${a}-${b}`)).not.toBeNull();
        expect(periodError("year", String(a))).toBeNull();
      }),
    );
    expect(periodError("school_year", "2025")).toMatch(/AAAA-AAAA/);
    expect(periodError("school_year", " ")).toBe("indiquez la période.");
  });
});

describe("UAI lists", () => {
  it("reads any separators, upper-cases, drops repeats and sets aside what is not a UAI (property)", () => {
    const uai = fc
      .tuple(fc.stringMatching(/^\d{7}$/), fc.constantFrom(..."ABCDEFGHJKLMNPRSTUVWXYZ"))
      .map(([d, l]) => `${d}${l}`);
    const sep = fc.constantFrom(" ", ",", ";", "\n", " ,\n", "\t");
    fc.assert(
      fc.property(fc.array(fc.tuple(uai, sep, fc.boolean())), (items) => {
        const text = items.map(([u, s, lower]) => `${lower ? u.toLowerCase() : u}${s}`).join("");
        const read = parseUais(text);
        expect(read.wrong).toEqual([]);
        expect(read.uais).toEqual([...new Set(items.map(([u]) => u))]);
      }),
    );
    expect(parseUais("0330001A, 033001A;abc")).toEqual({ uais: ["0330001A"], wrong: ["033001A", "ABC"] });
  });
});

describe("the creation form", () => {
  it("builds the API body: the template's choices left out unless changed, filters only when set", () => {
    const read = readCampaignForm(form());
    expect(read).toEqual({
      ok: true,
      input: {
        template: "equipment",
        period: "2025-2026",
        target: { territory: "academy:04" },
        opensOn: "2026-01-05",
        closesOn: "2026-02-02",
      },
    });
    const full = readCampaignForm(
      form({
        title: " Équipement ",
        expiryDays: "10",
        schoolTypes: ["college"],
        sector: "public",
        priorityEducation: true,
        uais: "0330001a 0330002B",
        respondents: "both",
        feed: "submitted",
      }),
    );
    expect(full.ok && full.input).toEqual({
      template: "equipment",
      title: "Équipement",
      period: "2025-2026",
      target: {
        territory: "academy:04",
        schoolTypes: ["college"],
        sector: "public",
        priorityEducation: true,
        uais: ["0330001A", "0330002B"],
      },
      opensOn: "2026-01-05",
      closesOn: "2026-02-02",
      expiryDays: 10,
      respondents: ["school-head", "school-referent"],
      feed: "submitted",
    });
  });

  it("reads a typed territory with the tree's reader: a code alone that names one node, French refusals", () => {
    const ok = readCampaignForm(form({ territoryChoice: OTHER_TERRITORY, territoryText: "2A" }));
    expect(ok.ok && ok.input.target.territory).toBe("department:2A");
    const ambiguous = readCampaignForm(form({ territoryChoice: OTHER_TERRITORY, territoryText: "04" }));
    expect(ambiguous.ok).toBe(false);
    if (!ambiguous.ok) {
      expect(ambiguous.errors[0]?.fieldId).toBe(FIELD_IDS.territoryText);
      expect(ambiguous.errors[0]?.message).toMatch(/ambigu/);
    }
  });

  it("names every wrong field in French, each with its id", () => {
    const read = readCampaignForm(
      form({
        template: "",
        periodKind: null,
        opensOn: "2026-02-30",
        closesOn: "2026-01-01",
        expiryDays: "-3",
        uais: "123",
      }),
    );
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.map((e) => e.fieldId)).toEqual([
      FIELD_IDS.template,
      FIELD_IDS.opensOn,
      FIELD_IDS.expiryDays,
      FIELD_IDS.uais,
    ]);
    const backwards = readCampaignForm(
      form({ opensOn: "2026-03-01", closesOn: "2026-02-01", period: "2025-2027" }),
    );
    expect(backwards.ok ? [] : backwards.errors.map((e) => `${e.label} : ${e.message}`)).toEqual([
      "Période : les deux années doivent se suivre (ex. 2025-2026).",
      "Date de clôture : la clôture ne peut pas précéder l'ouverture.",
    ]);
  });
});

describe("completeness", () => {
  const row = {
    label: "x",
    expected: 8,
    started: 4,
    submitted: 2,
    approved: 1,
    onTime: 2,
    fieldsAnswered: 0.5,
    response: null,
  };

  it("drills down to a child territory, and opens a school's response at the bottom", () => {
    expect(rowLink("3", { key: "department:33" })).toBe("/collecte/3/suivi?territory=department%3A33");
    expect(rowLink("3", { key: "school:0330001A" })).toBe("/collecte/3/0330001A");
    expect(rowLink("3", { key: "" })).toBeNull();
  });

  it("maps the share submitted per child territory, in %, leaving out schools and empty children", () => {
    const cells = submittedCells(
      [
        { ...row, key: "department:33", label: "Gironde" },
        { ...row, key: "department:24", label: "Dordogne", expected: 0, submitted: 0 },
        { ...row, key: "", label: "Établissements hors district" },
      ],
      "2025-2026",
    );
    expect(cells.map((c) => [c.node.code, c.node.name, c.value, c.coverage])).toEqual([
      ["33", "Gironde", 25, 0.25],
    ]);
  });

  it("words a school's row of a district: state, day submitted in Paris, on time, share filled", () => {
    const school = { ...row, key: "school:0330001A", expected: 1, started: 1, approved: 0 };
    // Submitted at 00:30 in Paris on 6 December (23:30 UTC on the 5th): the day shown is Paris's.
    expect(
      schoolStatusCells({
        ...school,
        submitted: 1,
        onTime: 0,
        fieldsAnswered: 0.75,
        response: { state: "submitted", submittedAt: "2025-12-05T23:30:00.000Z" },
      }),
    ).toEqual({ state: "Transmis", submittedOn: "6 décembre 2025", onTime: "Non", filled: "75 %" });
    expect(
      schoolStatusCells({
        ...school,
        submitted: 1,
        approved: 1,
        onTime: 1,
        fieldsAnswered: 1,
        response: { state: "approved", submittedAt: "2025-11-20T09:00:00.000Z" },
      }),
    ).toEqual({ state: "Validé", submittedOn: "20 novembre 2025", onTime: "Oui", filled: "100 %" });
    expect(
      schoolStatusCells({
        ...school,
        started: 0,
        submitted: 0,
        onTime: 0,
        fieldsAnswered: 0,
        response: { state: "not_started", submittedAt: null },
      }),
    ).toEqual({ state: "Non commencé", submittedOn: "—", onTime: "—", filled: "0 %" });
    expect(schoolStatusCells({ ...row, key: "department:33" })).toBeNull();
  });
});
