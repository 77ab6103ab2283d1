import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Answer, type Answers, type FormDefinition, formDefinition } from "./collection-form.ts";
import {
  checkSubmission,
  type Expression,
  ExpressionError,
  evaluateRules,
  expressionFields,
  parseExpression,
  printExpression,
  type RuleOutcome,
  validateResponse,
} from "./collection-rules.ts";

/**
 * Random numeric forms (plain fields and a grid, so codes with dots) with random rules and
 * answers: the relations between operators and strategies that must hold whatever the values.
 */

const PLAIN = ["a", "b", "pupils", "wifi"] as const;
const GRID_CELLS = ["pc.desk.all", "pc.desk.ok", "pc.lap.all", "pc.lap.ok"] as const;
const CODES: readonly string[] = [...PLAIN, ...GRID_CELLS];
const MISSING = ["skip_if_any_missing", "skip_if_all_missing", "never_skip"] as const;
type Missing = (typeof MISSING)[number];

/** Expressions over the form's codes; `division: false` leaves `/` out (nothing can divide by zero). */
function expressionOf(options: { division: boolean }): fc.Arbitrary<Expression> {
  const operators = options.division ? (["+", "-", "*", "/"] as const) : (["+", "-", "*"] as const);
  const { expression } = fc.letrec<{ expression: Expression }>((tie) => ({
    expression: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.integer({ min: 0, max: 20_000 }).map((n): Expression => ({ kind: "number", value: n / 100 })),
      fc.constantFrom(...CODES).map((code): Expression => ({ kind: "field", code })),
      fc.constantFrom(...CODES).map((code): Expression => ({ kind: "previous", code })),
      tie("expression").map((operand): Expression => ({ kind: "negate", operand })),
      fc
        .tuple(fc.constantFrom(...operators), tie("expression"), tie("expression"))
        .map(([operator, left, right]): Expression => ({ kind: "binary", operator, left, right })),
    ),
  }));
  return expression;
}

const anyExpression = expressionOf({ division: true });
const noDivision = expressionOf({ division: false });

/** Small values so that equalities happen; yes/no for `b`; a few missing in each way. */
const answerOf = (code: string): fc.Arbitrary<Answer | undefined> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant<Answer>({ value: null, unknown: false }) },
    { weight: 1, arbitrary: fc.constant<Answer>({ value: null, unknown: true }) },
    {
      weight: 5,
      arbitrary:
        code === "b"
          ? fc.boolean().map((value): Answer => ({ value, unknown: false }))
          : fc.integer({ min: -5, max: 120 }).map((value): Answer => ({ value, unknown: false })),
    },
  );

const anyAnswers: fc.Arbitrary<Answers> = fc
  .tuple(...CODES.map(answerOf))
  .map((list) =>
    Object.fromEntries(
      list.flatMap((answer, i): [string, Answer][] =>
        answer === undefined ? [] : [[CODES[i] as string, answer]],
      ),
    ),
  );

function numericForm(rules: Record<string, unknown>[]): FormDefinition {
  return formDefinition.parse({
    code: "random",
    title: "Formulaire aléatoire",
    sections: [
      {
        code: "s",
        title: "Section",
        fields: [
          { code: "a", label: "A", type: "number" },
          { code: "b", label: "B", type: "yes_no" },
          { code: "pupils", label: "Élèves", type: "integer", min: 0 },
          { code: "wifi", label: "Wi-Fi", type: "percentage", allowUnknown: true },
        ],
        grids: [
          {
            code: "pc",
            label: "Ordinateurs",
            rows: [
              { code: "desk", label: "Fixes" },
              { code: "lap", label: "Portables" },
            ],
            columns: [
              { code: "all", label: "Tous" },
              { code: "ok", label: "En état" },
            ],
          },
        ],
      },
    ],
    rules: rules.map((rule, i) => ({ code: `r${i}`, message: `Règle ${i}`, ...rule })),
  });
}

interface RuleSpec {
  left: Expression;
  right: Expression;
  missing: Missing;
}
const ruleSpec = (expression: fc.Arbitrary<Expression>): fc.Arbitrary<RuleSpec> =>
  fc.record({ left: expression, right: expression, missing: fc.constantFrom(...MISSING) });

/** The outcomes of `spec` under each operator given, in that order. */
function underOperators(
  spec: RuleSpec,
  operators: string[],
  answers: Answers,
  previous: Answers,
): RuleOutcome[] {
  const rules = operators.map((operator) => ({
    left: printExpression(spec.left),
    right: printExpression(spec.right),
    operator,
    missing: spec.missing,
  }));
  return evaluateRules(numericForm(rules), answers, previous);
}

const isMissing = (answers: Answers, code: string): boolean => {
  const answer = answers[code];
  return answer === undefined || answer.value === null || answer.unknown;
};

/** The codes a rule names and whether each is missing, this year's then last year's. */
function missingOfSides(spec: RuleSpec, answers: Answers, previous: Answers): boolean[] {
  const left = expressionFields(spec.left);
  const right = expressionFields(spec.right);
  const current = new Set([...left.current, ...right.current]);
  const last = new Set([...left.previous, ...right.previous]);
  return [...[...current].map((c) => isMissing(answers, c)), ...[...last].map((c) => isMissing(previous, c))];
}

describe("expressions", () => {
  it("read back what the printer writes: parse(print(e)) = e", () => {
    fc.assert(
      fc.property(anyExpression, (expression) => {
        expect(parseExpression(printExpression(expression))).toEqual(expression);
      }),
    );
  });

  it("fail only with an ExpressionError at a position inside the text (or just past it)", () => {
    const unit = fc.constantFrom(..."ab.1( )+-*/%_previous9".split(""));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (text) => {
        try {
          parseExpression(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
          const position = (error as ExpressionError).position;
          expect(position).toBeGreaterThanOrEqual(1);
          expect(position).toBeLessThanOrEqual(text.length + 1);
          expect((error as ExpressionError).message).toContain(`en position ${position}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("rules on random numeric forms", () => {
  it("le is violated exactly when gt passes, and they skip together", () => {
    fc.assert(
      fc.property(ruleSpec(anyExpression), anyAnswers, anyAnswers, (spec, answers, previous) => {
        const [le, gt] = underOperators(spec, ["le", "gt"], answers, previous);
        expect(le?.status === "skipped").toBe(gt?.status === "skipped");
        if (le?.status !== "skipped") expect(le?.status === "violated").toBe(gt?.status === "passed");
      }),
    );
  });

  it("eq is symmetric and ne is its negation; ge is le with the sides swapped", () => {
    fc.assert(
      fc.property(ruleSpec(anyExpression), anyAnswers, anyAnswers, (spec, answers, previous) => {
        const [eq, ne, ge] = underOperators(spec, ["eq", "ne", "ge"], answers, previous);
        const swapped = { ...spec, left: spec.right, right: spec.left };
        const [eqSwapped, leSwapped] = underOperators(swapped, ["eq", "le"], answers, previous);
        expect(eqSwapped?.status).toBe(eq?.status);
        expect(leSwapped?.status).toBe(ge?.status);
        if (eq?.status !== "skipped")
          expect(ne?.status).toBe(eq?.status === "passed" ? "violated" : "passed");
      }),
    );
  });

  it("follow the missing-value strategy: any missing skips, all missing skips, never_skip skips only what cannot be computed", () => {
    fc.assert(
      fc.property(ruleSpec(noDivision), anyAnswers, anyAnswers, (spec, answers, previous) => {
        const [outcome] = underOperators(spec, ["le"], answers, previous);
        const missing = missingOfSides(spec, answers, previous);
        const some = missing.some(Boolean);
        const all = missing.length > 0 && missing.every(Boolean);
        const skips =
          spec.missing === "skip_if_any_missing" ? some : spec.missing === "skip_if_all_missing" && all;
        expect(outcome?.status === "skipped").toBe(skips);
      }),
    );
  });

  it("with never_skip, skip only where a division by zero (or a non-finite value) stops the computation", () => {
    fc.assert(
      fc.property(ruleSpec(anyExpression), anyAnswers, anyAnswers, (spec, answers, previous) => {
        const [outcome] = underOperators({ ...spec, missing: "never_skip" }, ["lt"], answers, previous);
        const printed = `${printExpression(spec.left)} ${printExpression(spec.right)}`;
        if (!printed.includes("/")) expect(outcome?.status).not.toBe("skipped");
        if (outcome?.status === "skipped") expect(outcome.left).toBeNull();
        else expect(Number.isFinite(outcome?.left) && Number.isFinite(outcome?.right)).toBe(true);
      }),
    );
  });

  it("name this year's fields only, each once", () => {
    fc.assert(
      fc.property(ruleSpec(anyExpression), anyAnswers, (spec, answers) => {
        const [outcome] = underOperators(spec, ["eq"], answers, {});
        const fields = outcome?.fields ?? [];
        expect(new Set(fields).size).toBe(fields.length);
        const named = new Set([
          ...expressionFields(spec.left).current,
          ...expressionFields(spec.right).current,
        ]);
        expect(new Set(fields)).toEqual(named);
      }),
    );
  });
});

describe("validateResponse on random numeric forms", () => {
  const rules = fc.array(
    fc.record({
      spec: ruleSpec(anyExpression),
      operator: fc.constantFrom("eq", "ne", "gt", "ge", "lt", "le", "compulsory_pair", "exclusive_pair"),
      importance: fc.constantFrom("error", "warning"),
      pairSides: fc.tuple(fc.constantFrom(...CODES), fc.constantFrom(...CODES)),
    }),
    { maxLength: 6 },
  );
  const formOf = (drawn: RuleDraw[]) =>
    numericForm(
      drawn.map(({ spec, operator, importance, pairSides }) => {
        const pair = operator.endsWith("_pair");
        return {
          left: pair ? pairSides[0] : printExpression(spec.left),
          right: pair ? pairSides[1] : printExpression(spec.right),
          operator,
          importance,
          missing: spec.missing,
        };
      }),
    );
  const withStrays = fc
    .tuple(anyAnswers, fc.subarray(["stray", "zz.top", "constructor"]))
    .map(([answers, strays]) => ({
      ...answers,
      ...Object.fromEntries(strays.map((s) => [s, { value: 1, unknown: false }])),
    }));

  it("reports each violated rule once, at its importance, and never a skipped or passed one", () => {
    fc.assert(
      fc.property(rules, withStrays, anyAnswers, fc.boolean(), (drawn, answers, previous, submission) => {
        const form = formOf(drawn);
        const outcomes = evaluateRules(form, answers, previous);
        const { errors, warnings } = validateResponse(form, answers, previous, { submission });
        for (const outcome of outcomes) {
          const issues = [...errors, ...warnings].filter((i) => i.rule === outcome.rule);
          expect(issues.length).toBe(outcome.status === "violated" ? 1 : 0);
          for (const issue of issues) expect(issue.importance).toBe(outcome.importance);
        }
      }),
    );
  });

  it("is deterministic and independent of the order of the answers' keys, also after a trip through JSON", () => {
    fc.assert(
      fc.property(
        rules,
        withStrays,
        anyAnswers,
        fc.boolean(),
        fc.infiniteStream(fc.nat()),
        (drawn, answers, previous, submission, noise) => {
          const form = formOf(drawn);
          const expected = validateResponse(form, answers, previous, { submission });
          const entries = Object.entries(answers);
          const keys = entries.map(() => noise.next().value as number);
          const shuffled = Object.fromEntries(
            entries
              .map((entry, i) => [keys[i] ?? 0, entry] as const)
              .sort((x, y) => x[0] - y[0])
              .map(([, e]) => e),
          );
          const overTheWire = JSON.parse(JSON.stringify({ form, shuffled, previous }));
          expect(validateResponse(form, shuffled, previous, { submission })).toEqual(expected);
          expect(
            validateResponse(overTheWire.form, overTheWire.shuffled, overTheWire.previous, { submission }),
          ).toEqual(expected);
        },
      ),
    );
  });

  it("checkSubmission finds in one pass what the draft check refuses and the submission check reports", () => {
    let refusedSeen = 0;
    let acceptedSeen = 0;
    fc.assert(
      fc.property(rules, withStrays, anyAnswers, (drawn, answers, previous) => {
        const form = formOf(drawn);
        const once = checkSubmission(form, answers, previous);
        const draft = validateResponse(form, answers, previous, { submission: false });
        expect(once.refused).toEqual(draft.errors.filter((i) => i.rule === null));
        if (once.refused.length > 0) {
          refusedSeen++;
          return;
        }
        acceptedSeen++;
        const submission = validateResponse(form, answers, previous, { submission: true });
        expect({ errors: once.errors, warnings: once.warnings }).toEqual(submission);
      }),
      { numRuns: 300 },
    );
    // Both branches were exercised by the random answers (bad values, strays, clean ones).
    expect(refusedSeen).toBeGreaterThan(0);
    expect(acceptedSeen).toBeGreaterThan(0);
  });
});

interface RuleDraw {
  spec: RuleSpec;
  operator: string;
  importance: string;
  pairSides: [string, string];
}
