import { describe, expect, it } from "vitest";
import { type FormDefinition, formDefinition } from "../../contracts/collection-form.ts";
import {
  fieldId,
  fieldProblems,
  formatInput,
  initialAnswers,
  liveIssues,
  parseInput,
  parseNumberInput,
  sameAnswers,
  sendableAnswers,
  updateAnswer,
} from "./response-model.ts";

const form: FormDefinition = formDefinition.parse({
  code: "test",
  title: "Test",
  sections: [
    {
      code: "s",
      title: "Section",
      fields: [
        { code: "pupils", label: "Élèves", type: "integer", min: 0, prefillFrom: "pupils_enrolled" },
        { code: "equipped", label: "Élèves équipés", type: "integer", min: 0 },
        { code: "wifi", label: "Couverture Wi-Fi", type: "percentage", allowUnknown: true },
        { code: "note", label: "Remarque", type: "text", required: false },
      ],
      grids: [
        {
          code: "computers",
          label: "Ordinateurs",
          rows: [{ code: "desktop", label: "Fixes" }],
          columns: [{ code: "ok", label: "En état" }],
        },
      ],
    },
  ],
  rules: [{ code: "eq_le", left: "equipped", operator: "le", right: "pupils", message: "Trop d'équipés." }],
});

describe("parseNumberInput", () => {
  it("reads French numbers: decimal comma, spaces between thousands, empty is no value", () => {
    expect(parseNumberInput("12,5")).toBe(12.5);
    expect(parseNumberInput("12.5")).toBe(12.5);
    expect(parseNumberInput("1 200")).toBe(1200);
    expect(parseNumberInput("1\u202f200,25")).toBe(1200.25);
    expect(parseNumberInput("-3")).toBe(-3);
    expect(parseNumberInput("")).toBeNull();
    expect(parseNumberInput("   ")).toBeNull();
  });
  it("keeps a text that is not a number as typed, for checkAnswer to name", () => {
    expect(parseNumberInput("douze")).toBe("douze");
    expect(parseNumberInput("1,2,3")).toBe("1,2,3");
  });
  it("prints back with a decimal comma", () => {
    expect(formatInput(12.5)).toBe("12,5");
    expect(formatInput(null)).toBe("");
    expect(formatInput(parseNumberInput(formatInput(0.25)) as number)).toBe("0,25");
  });
});

describe("answers", () => {
  const pupils = { type: "integer" as const };
  it("a decimal in an integer field, or a word, is an error through checkAnswer", () => {
    const answers = { pupils: { value: parseInput(pupils, "12,5"), unknown: false } };
    expect(fieldProblems(form, answers).get("pupils")).toBe("« Élèves » : un nombre entier est attendu");
    const word = { pupils: { value: parseInput(pupils, "beaucoup"), unknown: false } };
    expect(fieldProblems(form, word).get("pupils")).toBe("« Élèves » : un nombre entier est attendu");
    expect(fieldProblems(form, { pupils: { value: 12, unknown: false } }).size).toBe(0);
  });
  it("an answer emptied of value, « je ne sais pas » and comment is no answer", () => {
    expect(updateAnswer({ value: 3, unknown: false }, { value: null })).toBeUndefined();
    expect(updateAnswer(undefined, { comment: "  " })).toBeUndefined();
    expect(updateAnswer(undefined, { unknown: true })).toEqual({ value: null, unknown: true });
    expect(updateAnswer({ value: 3, unknown: false }, { comment: "vu" })).toEqual({
      value: 3,
      unknown: false,
      comment: "vu",
    });
  });
  it("pre-fills the known headcount only where there is no answer yet", () => {
    const fresh = initialAnswers({ answers: {}, prefill: { pupils: 420 } });
    expect(fresh.answers.pupils).toEqual({ value: 420, unknown: false });
    expect([...fresh.prefilled]).toEqual(["pupils"]);
    const answered = initialAnswers({
      answers: { pupils: { value: 400, unknown: false } },
      prefill: { pupils: 420 },
    });
    expect(answered.answers.pupils?.value).toBe(400);
    expect(answered.prefilled.size).toBe(0);
  });
  it("never sends a value checkAnswer refuses: the last saved one of that field goes instead", () => {
    const saved = { pupils: { value: 400, unknown: false }, wifi: { value: 50, unknown: false } };
    const local = {
      pupils: { value: 12.5, unknown: false },
      equipped: { value: 10, unknown: false },
      wifi: { value: 150, unknown: false },
      note: { value: "ok", unknown: false },
    };
    expect(sendableAnswers(form, local, saved)).toEqual({
      pupils: { value: 400, unknown: false },
      equipped: { value: 10, unknown: false },
      wifi: { value: 50, unknown: false },
      note: { value: "ok", unknown: false },
    });
    expect(sendableAnswers(form, { pupils: { value: "x", unknown: false } }, {})).toEqual({});
  });
  it("compares answer sets whatever the order of their keys", () => {
    const a = { x: { value: 1, unknown: false }, y: { value: true, unknown: false } };
    const b = { y: { value: true, unknown: false }, x: { value: 1, unknown: false } };
    expect(sameAnswers(a, b)).toBe(true);
    expect(sameAnswers(a, { x: { value: 1, unknown: false } })).toBe(false);
    expect(
      sameAnswers({ x: { value: 1, unknown: false, comment: "c" } }, { x: { value: 1, unknown: false } }),
    ).toBe(false);
  });
});

describe("liveIssues", () => {
  it("shows a broken rule as the person types, required fields only as blocking the submission", () => {
    const live = liveIssues(
      form,
      { pupils: { value: 10, unknown: false }, equipped: { value: 12, unknown: false } },
      {},
    );
    expect(live.errors.map((i) => i.message)).toEqual(["Trop d'équipés."]);
    expect(live.errors[0]?.field).toBe("equipped");
    expect(live.blocking.map((i) => i.field)).toEqual(["wifi", "computers.desktop.ok", "equipped"]);
  });
  it("field ids carry no dots", () => {
    expect(fieldId("computers.desktop.ok")).toBe("champ-computers-desktop-ok");
  });
});
