import { describe, expect, it } from "vitest";
import {
  type Answer,
  type Answers,
  type FormDefinition,
  type FormField,
  formDefinition,
} from "./collection-form.ts";
import {
  checkAnswer,
  checkForm,
  type Expression,
  ExpressionError,
  evaluateRules,
  expressionFields,
  parseExpression,
  printExpression,
  type RuleOutcome,
  requiredAnswered,
  validateResponse,
} from "./collection-rules.ts";

/** A form through its schema, so that defaults apply as they do for a stored form. */
function form(input: unknown): FormDefinition {
  return formDefinition.parse(input);
}

const a = (value: Answer["value"], unknown = false): Answer => ({ value, unknown });
const dontKnow: Answer = { value: null, unknown: true };

/** An equipment form in the spirit of ETIC: a grid, a percentage, headcounts, a yes/no, an option, a text. */
const equipment = form({
  code: "equipment",
  title: "Équipement numérique",
  sections: [
    {
      code: "machines",
      title: "Matériel",
      grids: [
        {
          code: "computers",
          label: "Ordinateurs",
          rows: [
            { code: "desktop", label: "Fixes" },
            { code: "laptop", label: "Portables" },
          ],
          columns: [
            { code: "all", label: "Tous" },
            { code: "functional", label: "En état de marche" },
          ],
          min: 0,
          allowUnknown: true,
        },
      ],
      fields: [
        { code: "wifi", label: "Couverture Wi-Fi des salles", type: "percentage", unit: "%" },
        { code: "pupils", label: "Élèves", type: "integer", min: 0 },
        { code: "pupils_equipped", label: "Élèves équipés", type: "integer", min: 0 },
        { code: "ent", label: "ENT activé", type: "yes_no", required: false },
        {
          code: "bandwidth",
          label: "Débit",
          type: "option",
          options: [
            { code: "low", label: "Moins de 10 Mb/s" },
            { code: "high", label: "10 Mb/s ou plus" },
          ],
          required: false,
        },
        { code: "remarks", label: "Remarques", type: "text", required: false },
      ],
    },
  ],
  rules: [
    {
      code: "functional_computers",
      left: "computers.desktop.functional + computers.laptop.functional",
      operator: "le",
      right: "computers.desktop.all + computers.laptop.all",
      message: "Les ordinateurs en état de marche ne peuvent dépasser les ordinateurs.",
    },
    {
      code: "wifi_max",
      left: "wifi",
      operator: "le",
      right: "100",
      message: "La couverture Wi-Fi ne dépasse pas 100 %.",
    },
    {
      code: "equipped_pupils",
      left: "pupils_equipped",
      operator: "le",
      right: "pupils",
      importance: "warning",
      message: "Il y a plus d'élèves équipés que d'élèves.",
    },
  ],
});

const complete: Answers = {
  "computers.desktop.all": a(40),
  "computers.desktop.functional": a(35),
  "computers.laptop.all": a(20),
  "computers.laptop.functional": a(20),
  wifi: a(80),
  pupils: a(500),
  pupils_equipped: a(120),
};

/** A form of numeric fields x, y, z and one rule. */
function oneRule(rule: Record<string, unknown>, fields: Record<string, unknown>[] = []): FormDefinition {
  return form({
    code: "f",
    title: "F",
    sections: [
      {
        code: "s",
        title: "S",
        fields: [
          { code: "x", label: "X", type: "number" },
          { code: "y", label: "Y", type: "number" },
          { code: "z", label: "Z", type: "number" },
          ...fields,
        ],
      },
    ],
    rules: [{ code: "r", message: "Règle r", ...rule }],
  });
}

function status(
  rule: Record<string, unknown>,
  answers: Answers,
  previous: Answers = {},
): RuleOutcome["status"] {
  const [outcome] = evaluateRules(oneRule(rule), answers, previous);
  if (outcome === undefined) throw new Error("no outcome");
  return outcome.status;
}

describe("parseExpression", () => {
  const num = (value: number): Expression => ({ kind: "number", value });
  const field = (code: string): Expression => ({ kind: "field", code });

  it("reads numbers, grid cells, previous(), operators with precedence, unary minus and parentheses", () => {
    expect(parseExpression(" 1.5 ")).toEqual(num(1.5));
    expect(parseExpression("computers.desktop.functional")).toEqual(field("computers.desktop.functional"));
    expect(parseExpression("previous( pupils )")).toEqual({ kind: "previous", code: "pupils" });
    expect(parseExpression("a + b * c")).toEqual({
      kind: "binary",
      operator: "+",
      left: field("a"),
      right: { kind: "binary", operator: "*", left: field("b"), right: field("c") },
    });
    expect(parseExpression("(a + b) * c")).toMatchObject({ operator: "*", left: { operator: "+" } });
    expect(parseExpression("a - b - c")).toMatchObject({
      operator: "-",
      left: { operator: "-" },
      right: field("c"),
    });
    expect(parseExpression("--a")).toEqual({
      kind: "negate",
      operand: { kind: "negate", operand: field("a") },
    });
    expect(parseExpression("-a * b")).toMatchObject({ operator: "*", left: { kind: "negate" } });
  });

  it("reads `previous` without a parenthesis as a field of that name", () => {
    expect(parseExpression("previous + 1")).toMatchObject({ left: field("previous") });
  });

  it.each([
    ["pupils % 2", "caractère inattendu « % » en position 8", 8],
    ["a +", "fin de l'expression inattendue en position 4", 4],
    ["(a + b", "fin de l'expression inattendue en position 7", 7],
    ["a b", "« b » inattendu en position 3", 3],
    ["Pupils", "caractère inattendu « P » en position 1", 1],
    ["a.", "caractère inattendu « . » en position 2", 2],
    ["previous(1)", "« 1 » inattendu en position 10", 10],
    ["previous(a + b)", "« + » inattendu en position 12", 12],
    ["", "fin de l'expression inattendue en position 1", 1],
    ["2 * )", "« ) » inattendu en position 5", 5],
  ])("rejects %j: « %s »", (text, message, position) => {
    let caught: unknown;
    try {
      parseExpression(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect((caught as ExpressionError).message).toContain(message);
    expect((caught as ExpressionError).position).toBe(position);
  });

  it("names the fields read, this year's and last year's, each once", () => {
    expect(expressionFields(parseExpression("a + previous(b) * a - previous(a) / c"))).toEqual({
      current: ["a", "c"],
      previous: ["b", "a"],
    });
    expect(expressionFields(parseExpression("3"))).toEqual({ current: [], previous: [] });
  });

  it("prints with only the parentheses the tree needs", () => {
    expect(printExpression(parseExpression("(a + b) * c"))).toBe("(a + b) * c");
    expect(printExpression(parseExpression("a + (b * c)"))).toBe("a + b * c");
    expect(printExpression(parseExpression("a - (b - c)"))).toBe("a - (b - c)");
    expect(printExpression(parseExpression("-(a+b)/previous(c)"))).toBe("-(a + b) / previous(c)");
  });
});

describe("evaluateRules: operators", () => {
  const cases: [string, number, number, boolean][] = [
    ["eq", 2, 2, true],
    ["eq", 2, 3, false],
    ["ne", 2, 3, true],
    ["ne", 2, 2, false],
    ["gt", 3, 2, true],
    ["gt", 2, 2, false],
    ["ge", 2, 2, true],
    ["ge", 1, 2, false],
    ["lt", 1, 2, true],
    ["lt", 2, 2, false],
    ["le", 2, 2, true],
    ["le", 3, 2, false],
  ];
  it.each(cases)("%s with x=%d, y=%d passes: %s", (operator, x, y, passes) => {
    expect(status({ left: "x", operator, right: "y" }, { x: a(x), y: a(y) })).toBe(
      passes ? "passed" : "violated",
    );
  });

  it("compares within a tolerance: 0.1 + 0.2 = 0.3, and not greater", () => {
    const answers = { x: a(0.1), y: a(0.2), z: a(0.3) };
    expect(status({ left: "x + y", operator: "eq", right: "z" }, answers)).toBe("passed");
    expect(status({ left: "x + y", operator: "gt", right: "z" }, answers)).toBe("violated");
    expect(status({ left: "x + y", operator: "le", right: "z" }, answers)).toBe("passed");
    expect(status({ left: "x", operator: "eq", right: "1.000001" }, { x: a(1) })).toBe("violated");
  });

  it("reports both sides' values and this year's fields named", () => {
    const [outcome] = evaluateRules(
      oneRule({ left: "x * 2", operator: "le", right: "previous(y) + z" }),
      { x: a(3), z: a(1) },
      { y: a(4) },
    );
    expect(outcome).toEqual({
      rule: "r",
      importance: "error",
      status: "violated",
      message: "Règle r",
      fields: ["x", "z"],
      left: 6,
      right: 5,
    });
  });

  it("reads last year's answers with previous(), and only those", () => {
    const rule = { left: "x", operator: "le", right: "previous(x) * 2" };
    expect(status(rule, { x: a(30) }, { x: a(10) })).toBe("violated");
    expect(status(rule, { x: a(20) }, { x: a(10) })).toBe("passed");
    expect(status(rule, { x: a(20) }, {})).toBe("skipped");
  });

  it("counts yes/no as 1 and 0", () => {
    const f = oneRule({ left: "ent + x", operator: "eq", right: "2" }, [
      { code: "ent", label: "ENT", type: "yes_no" },
    ]);
    expect(evaluateRules(f, { ent: a(true), x: a(1) }, {})[0]?.status).toBe("passed");
    expect(evaluateRules(f, { ent: a(false), x: a(1) }, {})[0]?.status).toBe("violated");
  });

  it("skips a division by zero, even one hidden under another division, whatever the strategy", () => {
    for (const missing of ["skip_if_any_missing", "skip_if_all_missing", "never_skip"]) {
      expect(status({ left: "x / y", operator: "gt", right: "1000", missing }, { x: a(1), y: a(0) })).toBe(
        "skipped",
      );
      expect(status({ left: "1 / (1 / y)", operator: "eq", right: "0", missing }, { y: a(0) })).toBe(
        "skipped",
      );
    }
    expect(status({ left: "x / y", operator: "le", right: "z", missing: "never_skip" }, { x: a(1) })).toBe(
      "skipped",
    );
  });

  it("skips a rule that does not read or names an unknown field", () => {
    expect(status({ left: "x +", operator: "eq", right: "y" }, { x: a(1), y: a(1) })).toBe("skipped");
    expect(status({ left: "w", operator: "eq", right: "y" }, { w: a(1), y: a(1) })).toBe("skipped");
    expect(status({ left: "x", operator: "eq", right: "previous(w)" }, { x: a(1) }, { w: a(1) })).toBe(
      "skipped",
    );
  });

  it("does not read Object.prototype for a field called constructor", () => {
    const f = oneRule({ left: "constructor", operator: "eq", right: "0", missing: "never_skip" }, [
      { code: "constructor", label: "C", type: "number" },
    ]);
    expect(evaluateRules(f, {}, {})[0]).toMatchObject({ status: "passed", left: 0 });
  });
});

describe("evaluateRules: missing values", () => {
  const rule = (missing: string) => ({ left: "x + y", operator: "le", right: "z", missing });

  it("skip_if_any_missing skips as soon as one field is missing (no answer, null or « je ne sais pas »)", () => {
    const r = rule("skip_if_any_missing");
    expect(status(r, { x: a(1), y: a(1), z: a(1) })).toBe("violated");
    expect(status(r, { x: a(1), z: a(1) })).toBe("skipped");
    expect(status(r, { x: a(1), y: a(null), z: a(1) })).toBe("skipped");
    expect(status(r, { x: a(1), y: dontKnow, z: a(1) })).toBe("skipped");
  });

  it("skip_if_all_missing skips only when every field is missing, otherwise counts 0", () => {
    const r = rule("skip_if_all_missing");
    expect(status(r, {})).toBe("skipped");
    expect(status(r, { y: dontKnow })).toBe("skipped");
    expect(status(r, { x: a(1), z: a(1) })).toBe("passed");
    expect(status(r, { x: a(2), z: a(1) })).toBe("violated");
    expect(status(r, { z: a(1) })).toBe("passed");
  });

  it("never_skip counts a missing field as 0", () => {
    const r = rule("never_skip");
    expect(status(r, {})).toBe("passed");
    expect(status(r, { x: a(1) })).toBe("violated");
  });

  it("counts last year's missing fields too", () => {
    const r = { left: "x", operator: "le", right: "previous(x) + 10" };
    expect(status({ ...r, missing: "skip_if_any_missing" }, { x: a(5) }, {})).toBe("skipped");
    expect(status({ ...r, missing: "skip_if_all_missing" }, { x: a(5) }, {})).toBe("passed");
    expect(status({ ...r, missing: "skip_if_all_missing" }, { x: a(11) }, {})).toBe("violated");
  });

  it("never skips a rule over constants for missing values", () => {
    expect(status({ left: "1", operator: "gt", right: "2" }, {})).toBe("violated");
  });
});

describe("evaluateRules: pairs", () => {
  const f = oneRule({ left: "x", operator: "compulsory_pair", right: "remarks" }, [
    { code: "remarks", label: "Remarques", type: "text" },
  ]);
  const exclusive = oneRule({ left: "x", operator: "exclusive_pair", right: "y", missing: "never_skip" });
  const statusOf = (form: FormDefinition, answers: Answers) => evaluateRules(form, answers, {})[0]?.status;

  it("compulsory_pair is violated when exactly one side is answered, text sides included", () => {
    expect(statusOf(f, {})).toBe("passed");
    expect(statusOf(f, { x: a(1), remarks: a("ok") })).toBe("passed");
    expect(statusOf(f, { x: a(1) })).toBe("violated");
    expect(statusOf(f, { remarks: a("ok") })).toBe("violated");
    expect(statusOf(f, { x: dontKnow, remarks: a("ok") })).toBe("violated");
    expect(statusOf(f, { x: a(1), remarks: a(" ") })).toBe("violated");
  });

  it("exclusive_pair is violated when both are answered, whatever the missing strategy", () => {
    expect(statusOf(exclusive, {})).toBe("passed");
    expect(statusOf(exclusive, { x: a(0) })).toBe("passed");
    expect(statusOf(exclusive, { x: a(0), y: a(0) })).toBe("violated");
  });

  it("names both fields, reports no values, and skips a side that is not one field", () => {
    expect(evaluateRules(f, { x: a(1) }, {})[0]).toMatchObject({
      fields: ["x", "remarks"],
      left: null,
      right: null,
    });
    expect(
      statusOf(oneRule({ left: "x + 1", operator: "exclusive_pair", right: "y" }), { x: a(1), y: a(1) }),
    ).toBe("skipped");
  });
});

describe("the rules the issue names", () => {
  const outcomes = (answers: Answers) =>
    Object.fromEntries(evaluateRules(equipment, answers, {}).map((o) => [o.rule, o.status]));

  it("all pass on a consistent response", () => {
    expect(outcomes(complete)).toEqual({
      functional_computers: "passed",
      wifi_max: "passed",
      equipped_pupils: "passed",
    });
  });

  it("functional computers ≤ computers, summed over the grid", () => {
    const answers = { ...complete, "computers.laptop.functional": a(26) };
    expect(outcomes(answers).functional_computers).toBe("violated");
    const [outcome] = evaluateRules(equipment, answers, {});
    expect(outcome).toMatchObject({ left: 61, right: 60 });
    expect(outcome?.fields).toEqual([
      "computers.desktop.functional",
      "computers.laptop.functional",
      "computers.desktop.all",
      "computers.laptop.all",
    ]);
  });

  it("Wi-Fi coverage ≤ 100 and pupils equipped ≤ pupils", () => {
    expect(outcomes({ ...complete, wifi: a(100) }).wifi_max).toBe("passed");
    expect(outcomes({ ...complete, wifi: a(100.5) }).wifi_max).toBe("violated");
    expect(outcomes({ ...complete, pupils_equipped: a(501) }).equipped_pupils).toBe("violated");
  });
});

describe("checkForm", () => {
  const base = {
    code: "f",
    title: "F",
    sections: [
      {
        code: "s",
        title: "S",
        fields: [
          { code: "x", label: "X", type: "number" },
          { code: "t", label: "T", type: "text" },
          { code: "o", label: "O", type: "option", options: [{ code: "a", label: "A" }] },
        ],
        grids: [
          {
            code: "g",
            label: "G",
            rows: [{ code: "r", label: "R" }],
            columns: [{ code: "c", label: "C" }],
          },
        ],
      },
    ],
  };
  const withRules = (...rules: Record<string, unknown>[]) =>
    checkForm(form({ ...base, rules: rules.map((r, i) => ({ code: `r${i}`, message: "m", ...r })) }));

  it("accepts a valid form, the equipment form included", () => {
    expect(checkForm(form(base))).toEqual([]);
    expect(checkForm(equipment)).toEqual([]);
  });

  it("finds duplicate codes after expansion", () => {
    const section = base.sections[0];
    const grid = section?.grids[0];
    const doubled = form({
      ...base,
      sections: [
        { ...section, fields: [...(section?.fields ?? []), { code: "x", label: "X2", type: "number" }] },
        { code: "s2", title: "S2", grids: [{ ...grid, rows: [{ code: "r", label: "R" }] }] },
      ],
    });
    expect(checkForm(doubled)).toEqual([
      {
        path: "sections[0].fields[3]",
        message: "code de champ « x » déjà utilisé à « sections[0].fields[0] »",
      },
      {
        path: "sections[1].grids[0]",
        message: "code de champ « g.r.c » déjà utilisé à « sections[0].grids[0] »",
      },
    ]);
  });

  it("finds options problems, inverted bounds and percentage bounds outside 0..100", () => {
    const problems = checkForm(
      form({
        ...base,
        sections: [
          {
            code: "s",
            title: "S",
            fields: [
              { code: "o", label: "O", type: "option" },
              { code: "n", label: "N", type: "number", options: [{ code: "a", label: "A" }] },
              {
                code: "d",
                label: "D",
                type: "option",
                options: [
                  { code: "a", label: "A" },
                  { code: "a", label: "B" },
                ],
              },
              { code: "m", label: "M", type: "integer", min: 10, max: 5 },
              { code: "p", label: "P", type: "percentage", min: -1, max: 120 },
              { code: "y", label: "Y", type: "yes_no", max: 1 },
            ],
            grids: [{ ...base.sections[0]?.grids[0], min: 3, max: 1 }],
          },
        ],
      }),
    );
    expect(problems).toEqual([
      { path: "sections[0].fields[0].options", message: "« O » : une liste de choix sans choix" },
      {
        path: "sections[0].fields[1].options",
        message: "« N » : des choix sur un champ qui n'est pas une liste",
      },
      { path: "sections[0].fields[2].options", message: "« D » : choix « a » en double" },
      { path: "sections[0].fields[3].min", message: "« M » : minimum 10 supérieur au maximum 5" },
      { path: "sections[0].fields[4].min", message: "« P » : un pourcentage va de 0 à 100 (minimum -1)" },
      { path: "sections[0].fields[4].max", message: "« P » : un pourcentage va de 0 à 100 (maximum 120)" },
      {
        path: "sections[0].fields[5].max",
        message: "« Y » : des bornes sur un champ qui n'est pas un nombre",
      },
      { path: "sections[0].grids[0].min", message: "« G » : minimum 3 supérieur au maximum 1" },
    ]);
  });

  it("finds rules that do not read, name unknown fields, or compute over text and options", () => {
    expect(
      withRules(
        { left: "x %", operator: "eq", right: "1" },
        { left: "x", operator: "le", right: "previous(w) + g.r.c" },
        { left: "t + 1", operator: "gt", right: "o" },
        { left: "x", operator: "compulsory_pair", right: "t + 1" },
        { left: "o", operator: "exclusive_pair", right: "u" },
      ),
    ).toEqual([
      { path: "rules[0].left", message: "règle « r0 » : caractère inattendu « % » en position 3" },
      { path: "rules[1].right", message: "règle « r1 » : champ inconnu « w »" },
      {
        path: "rules[2].left",
        message:
          "règle « r2 » : le champ « t » (texte) ne se calcule pas ; il ne peut être qu'un côté d'une paire",
      },
      {
        path: "rules[2].right",
        message:
          "règle « r2 » : le champ « o » (liste de choix) ne se calcule pas ; il ne peut être qu'un côté d'une paire",
      },
      { path: "rules[3].right", message: "règle « r3 » : chaque côté d'une paire est un seul code de champ" },
      { path: "rules[4].right", message: "règle « r4 » : champ inconnu « u »" },
    ]);
  });

  it("accepts text and option fields as the sides of a pair, and finds duplicate rule codes", () => {
    expect(withRules({ left: "t", operator: "compulsory_pair", right: "o" })).toEqual([]);
    expect(
      checkForm(
        form({
          ...base,
          rules: [
            { code: "same", left: "x", operator: "ge", right: "0", message: "m" },
            { code: "same", left: "x", operator: "le", right: "9", message: "m" },
          ],
        }),
      ),
    ).toEqual([{ path: "rules[1].code", message: "code de règle « same » en double" }]);
  });
});

describe("checkAnswer", () => {
  const field = (type: FormField["type"], extra: Partial<FormField> = {}): FormField => ({
    code: "f",
    label: "Champ",
    type,
    required: true,
    allowUnknown: false,
    disaggregation: {},
    ...extra,
  });

  it("accepts no answer, a null value and a blank text (a cleared box), on any type", () => {
    expect(checkAnswer(field("integer"), undefined)).toBeNull();
    expect(checkAnswer(field("integer"), a(null))).toBeNull();
    expect(checkAnswer(field("option", { options: [{ code: "low", label: "Bas" }] }), a("  "))).toBeNull();
    expect(checkAnswer(field("text", { allowUnknown: true }), { value: "", unknown: true })).toBeNull();
  });

  it.each<[FormField["type"], Partial<FormField>, Answer["value"], string | null]>([
    ["integer", {}, 3, null],
    ["integer", {}, 3.5, "« Champ » : un nombre entier est attendu"],
    ["integer", {}, "3", "« Champ » : un nombre entier est attendu"],
    ["integer", { min: 0 }, -1, "« Champ » : la valeur doit être au moins 0"],
    ["number", {}, 2.5, null],
    ["number", {}, Number.POSITIVE_INFINITY, "« Champ » : un nombre est attendu"],
    ["number", {}, Number.NaN, "« Champ » : un nombre est attendu"],
    ["number", { max: 1.5, unit: "Mb/s" }, 2, "« Champ » : la valeur doit être au plus 1,5 Mb/s"],
    ["percentage", {}, 100, null],
    ["percentage", {}, 0, null],
    ["percentage", {}, 100.1, "« Champ » : un pourcentage entre 0 et 100 est attendu"],
    ["percentage", {}, -0.1, "« Champ » : un pourcentage entre 0 et 100 est attendu"],
    ["percentage", { min: 10 }, 5, "« Champ » : la valeur doit être au moins 10"],
    ["yes_no", {}, true, null],
    ["yes_no", {}, 1, "« Champ » : oui ou non est attendu"],
    ["option", { options: [{ code: "low", label: "Bas" }] }, "low", null],
    ["option", { options: [{ code: "low", label: "Bas" }] }, "mid", "« Champ » : choix inconnu « mid »"],
    ["text", {}, "bien", null],
    ["text", {}, 12, "« Champ » : un texte est attendu"],
    ["text", {}, "x".repeat(4000), null],
    ["text", {}, "x".repeat(4001), "« Champ » : texte trop long (4001 caractères, 4000 au plus)"],
  ])("%s %j with %j: %s", (type, extra, value, expected) => {
    expect(checkAnswer(field(type, extra), a(value))).toBe(expected);
  });

  it("accepts « je ne sais pas » only where allowed, and never with a value", () => {
    expect(checkAnswer(field("integer"), dontKnow)).toBe(
      "« Champ » : « je ne sais pas » n'est pas accepté pour ce champ",
    );
    expect(checkAnswer(field("integer", { allowUnknown: true }), dontKnow)).toBeNull();
    expect(checkAnswer(field("integer", { allowUnknown: true }), a(3, true))).toBe(
      "« Champ » : une valeur et « je ne sais pas » à la fois, c'est contradictoire",
    );
  });
});

describe("validateResponse", () => {
  it("has nothing to say about a complete consistent response", () => {
    expect(validateResponse(equipment, complete, {}, { submission: true })).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it("lists bad values, missing required fields at submission, unknown keys, then violated rules, in that order", () => {
    const answers: Answers = {
      zeta: a(1),
      ...complete,
      wifi: a(120),
      "computers.desktop.all": dontKnow,
      "computers.laptop.all": a(null),
      pupils: a(2.5),
      pupils_equipped: a(300),
      alpha: a(1),
    };
    const { errors, warnings } = validateResponse(equipment, answers, {}, { submission: true });
    expect(errors).toEqual([
      {
        field: "wifi",
        rule: null,
        importance: "error",
        message: "« Couverture Wi-Fi des salles » : un pourcentage entre 0 et 100 est attendu",
      },
      {
        field: "pupils",
        rule: null,
        importance: "error",
        message: "« Élèves » : un nombre entier est attendu",
      },
      {
        field: "computers.laptop.all",
        rule: null,
        importance: "error",
        message: "« Ordinateurs — Portables, Tous » est obligatoire",
      },
      { field: null, rule: null, importance: "error", message: "champ inconnu « alpha »" },
      { field: null, rule: null, importance: "error", message: "champ inconnu « zeta »" },
      {
        field: "wifi",
        rule: "wifi_max",
        importance: "error",
        message: "La couverture Wi-Fi ne dépasse pas 100 %.",
      },
    ]);
    expect(warnings).toEqual([
      {
        field: "pupils_equipped",
        rule: "equipped_pupils",
        importance: "warning",
        message: "Il y a plus d'élèves équipés que d'élèves.",
      },
    ]);
  });

  it("asks for required fields only at submission, and counts « je ne sais pas » as answered", () => {
    const draft = validateResponse(equipment, {}, {}, { submission: false });
    expect(draft).toEqual({ errors: [], warnings: [] });
    const submitted = validateResponse(
      equipment,
      { "computers.desktop.all": dontKnow },
      {},
      { submission: true },
    );
    expect(submitted.errors.map((e) => e.field)).toEqual([
      "wifi",
      "pupils",
      "pupils_equipped",
      "computers.desktop.functional",
      "computers.laptop.all",
      "computers.laptop.functional",
    ]);
  });
});

describe("requiredAnswered", () => {
  it("counts required fields (grid cells one by one) and those answered, « je ne sais pas » included", () => {
    expect(requiredAnswered(equipment, {})).toEqual({ required: 7, answered: 0 });
    expect(requiredAnswered(equipment, complete)).toEqual({ required: 7, answered: 7 });
    expect(
      requiredAnswered(equipment, {
        wifi: a(null),
        pupils: dontKnow,
        ent: a(true),
        "computers.laptop.all": a(3),
      }),
    ).toEqual({ required: 7, answered: 2 });
    const withText = form({
      code: "t",
      title: "T",
      sections: [{ code: "s", title: "S", fields: [{ code: "why", label: "Pourquoi", type: "text" }] }],
    });
    expect(requiredAnswered(withText, { why: a("") })).toEqual({ required: 1, answered: 0 });
    expect(validateResponse(withText, { why: a(" ") }, {}, { submission: true }).errors).toEqual([
      { field: "why", rule: null, importance: "error", message: "« Pourquoi » est obligatoire" },
    ]);
  });
});
