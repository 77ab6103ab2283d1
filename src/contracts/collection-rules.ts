import {
  type Expression,
  ExpressionError,
  evaluateExpression,
  expressionFields,
  parseExpression,
} from "./collection-expression.ts";
import { frenchNumber } from "./collection-form-check.ts";
import {
  type Answer,
  type Answers,
  type ExpandedField,
  expandForm,
  type FormDefinition,
  type FormField,
  type FormRule,
  type RuleImportance,
  type RuleOperator,
} from "./collection-model.ts";

/**
 * The checks of a collection form (issue 11, docs/collection.md), pure and I/O-free: the browser
 * runs them as the respondent types and the server at submission, the same code on both sides.
 *
 * - `checkForm` (collection-form-check.ts): the form itself, when a DANE defines it.
 * - `checkAnswer`: one answer against its field's type and bounds.
 * - `evaluateRules`: the DHIS2-style rules over this year's and last year's answers.
 * - `validateResponse`: all of it, as the errors and warnings of a response.
 */

export {
  type Expression,
  ExpressionError,
  evaluateExpression,
  expressionFields,
  parseExpression,
  printExpression,
} from "./collection-expression.ts";
export { checkForm, type FormProblem } from "./collection-form-check.ts";

export type ComparisonOperator = Exclude<RuleOperator, "compulsory_pair" | "exclusive_pair">;

export type RuleStatus = "passed" | "violated" | "skipped";

export interface RuleOutcome {
  readonly rule: string;
  readonly importance: RuleImportance;
  readonly status: RuleStatus;
  readonly message: string;
  /** This year's field codes the rule names, to link the message to them. */
  readonly fields: string[];
  /** The two sides' values when a comparison was evaluated; null for a pair or a skipped rule. */
  readonly left: number | null;
  readonly right: number | null;
}

/** Same shape as `responseIssue` in collection.ts. */
export interface ResponseIssue {
  readonly field: string | null;
  readonly rule: string | null;
  readonly importance: "error" | "warning";
  readonly message: string;
}

const TEXT_MAX = 4000;

// ---------------------------------------------------------------------------------------------
// One answer

/**
 * What is wrong with one answer, in French naming the field; null when nothing is. No answer (absent
 * or null value) is not an error here: whether the field is required is `validateResponse`'s job.
 */
export function checkAnswer(field: FormField, answer: Answer | undefined): string | null {
  if (answer === undefined) return null;
  const name = `« ${field.label} »`;
  const value = givenValue(answer);
  if (answer.unknown && value !== null)
    return `${name} : une valeur et « je ne sais pas » à la fois, c'est contradictoire`;
  if (answer.unknown)
    return field.allowUnknown ? null : `${name} : « je ne sais pas » n'est pas accepté pour ce champ`;
  if (value === null) return null;
  const problem = valueProblem(field, value);
  return problem === null ? null : `${name} : ${problem}`;
}

function valueProblem(field: FormField, value: number | boolean | string): string | null {
  switch (field.type) {
    case "number":
      return isNumber(value) ? boundsProblem(field, value) : "un nombre est attendu";
    case "integer":
      return isNumber(value) && Number.isInteger(value)
        ? boundsProblem(field, value)
        : "un nombre entier est attendu";
    case "percentage":
      return isNumber(value) && value >= 0 && value <= 100
        ? boundsProblem(field, value)
        : "un pourcentage entre 0 et 100 est attendu";
    case "yes_no":
      return typeof value === "boolean" ? null : "oui ou non est attendu";
    case "option":
      return optionProblem(field, value);
    case "text":
      return textProblem(value);
  }
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function boundsProblem(field: FormField, value: number): string | null {
  const unit = field.unit ? ` ${field.unit}` : "";
  if (field.min !== undefined && value < field.min)
    return `la valeur doit être au moins ${frenchNumber(field.min)}${unit}`;
  if (field.max !== undefined && value > field.max)
    return `la valeur doit être au plus ${frenchNumber(field.max)}${unit}`;
  return null;
}

function optionProblem(field: FormField, value: number | boolean | string): string | null {
  const codes = (field.options ?? []).map((o) => o.code);
  if (typeof value === "string" && codes.includes(value)) return null;
  return `choix inconnu « ${String(value)} »`;
}

function textProblem(value: number | boolean | string): string | null {
  if (typeof value !== "string") return "un texte est attendu";
  return value.length <= TEXT_MAX
    ? null
    : `texte trop long (${value.length} caractères, ${TEXT_MAX} au plus)`;
}

// ---------------------------------------------------------------------------------------------
// The rules

/**
 * Evaluates every rule of the form, one outcome per rule in form order.
 *
 * - A field is **missing** when it has no answer, a null value (or blank text), or « je ne sais pas »; a text or
 *   option value is missing too in arithmetic (`checkForm` forbids it there). In arithmetic a yes/no
 *   answer counts 1 for yes and 0 for no. `previous(code)` reads `previous`, last year's answers.
 * - Comparisons (`eq ne gt ge lt le`) follow the rule's missing-value strategy over every field
 *   either side names, this year's and last year's: `skip_if_any_missing` skips when any is missing;
 *   `skip_if_all_missing` skips only when all are, and otherwise counts a missing one as 0;
 *   `never_skip` counts a missing one as 0. A rule over constants alone is never skipped for that.
 * - A division by zero or a non-finite result cannot be evaluated: the rule is skipped, never violated.
 * - Two values are equal within a relative tolerance, |a − b| ≤ 1e-9 × max(1, |a|, |b|), so that
 *   0.1 + 0.2 = 0.3; `ge` and `le` accept equality in that sense, `gt` and `lt` exclude it.
 * - `compulsory_pair` is violated when exactly one of its two fields is answered, `exclusive_pair`
 *   when both are (« je ne sais pas » is not an answer there); the strategies do not apply to pairs.
 * - A rule whose expressions do not read, that names a field the form does not have, or a pair side
 *   that is not one field code, is skipped: `checkForm` reports it when the form is defined.
 */
export function evaluateRules(form: FormDefinition, answers: Answers, previous: Answers): RuleOutcome[] {
  const known = new Set(expandForm(form).map((f) => f.code));
  return form.rules.map((rule) => evaluateRule(rule, { known, answers, previous }));
}

interface RuleContext {
  readonly known: ReadonlySet<string>;
  readonly answers: Answers;
  readonly previous: Answers;
}

function evaluateRule(rule: FormRule, context: RuleContext): RuleOutcome {
  const sides = parseSides(rule);
  if (sides === null) return outcome(rule, "skipped", []);
  const { current, previous } = namedFields(sides);
  if (![...current, ...previous].every((code) => context.known.has(code)))
    return outcome(rule, "skipped", current);
  const operator = rule.operator;
  if (operator === "compulsory_pair" || operator === "exclusive_pair")
    return evaluatePair(rule, sides, context);
  return evaluateComparison(rule, operator, sides, context);
}

type Sides = readonly [Expression, Expression];

function parseSides(rule: FormRule): Sides | null {
  try {
    return [parseExpression(rule.left), parseExpression(rule.right)];
  } catch (error) {
    if (error instanceof ExpressionError) return null;
    throw error;
  }
}

function namedFields([left, right]: Sides): { current: string[]; previous: string[] } {
  const a = expressionFields(left);
  const b = expressionFields(right);
  return {
    current: [...new Set([...a.current, ...b.current])],
    previous: [...new Set([...a.previous, ...b.previous])],
  };
}

function outcome(
  rule: FormRule,
  status: RuleStatus,
  fields: string[],
  values: { left: number | null; right: number | null } = { left: null, right: null },
): RuleOutcome {
  return { rule: rule.code, importance: rule.importance, status, message: rule.message, fields, ...values };
}

function evaluatePair(rule: FormRule, [left, right]: Sides, context: RuleContext): RuleOutcome {
  if (left.kind !== "field" || right.kind !== "field")
    return outcome(rule, "skipped", namedFields([left, right]).current);
  const fields = [...new Set([left.code, right.code])];
  const answered = [left.code, right.code].filter((code) => isAnswered(context.answers, code)).length;
  const violated = rule.operator === "compulsory_pair" ? answered === 1 : answered === 2;
  return outcome(rule, violated ? "violated" : "passed", fields);
}

/** An answer with a value (any type): a pair's sense of « answered ». */
function isAnswered(answers: Answers, code: string): boolean {
  const answer = answerOf(answers, code);
  return answer !== undefined && givenValue(answer) !== null && !answer.unknown;
}

function evaluateComparison(
  rule: FormRule,
  operator: ComparisonOperator,
  sides: Sides,
  context: RuleContext,
): RuleOutcome {
  const { current, previous } = namedFields(sides);
  const read = (code: string, last: boolean) => numberOf(last ? context.previous : context.answers, code);
  const values = [...current.map((c) => read(c, false)), ...previous.map((c) => read(c, true))];
  const missing = values.filter((v) => v === null).length;
  if (skipsForMissing(rule, missing, values.length)) return outcome(rule, "skipped", current);
  const readOrZero = (code: string, last: boolean) => read(code, last) ?? 0;
  const left = evaluateExpression(sides[0], readOrZero);
  const right = evaluateExpression(sides[1], readOrZero);
  if (!Number.isFinite(left) || !Number.isFinite(right)) return outcome(rule, "skipped", current);
  const status = compare(operator, left, right) ? "passed" : "violated";
  return outcome(rule, status, current, { left, right });
}

function skipsForMissing(rule: FormRule, missing: number, named: number): boolean {
  if (missing === 0) return false;
  if (rule.missing === "skip_if_any_missing") return true;
  return rule.missing === "skip_if_all_missing" && missing === named;
}

/** A field's value for arithmetic: numbers as they are, yes/no as 1/0, anything else missing. */
function numberOf(answers: Answers, code: string): number | null {
  const answer = answerOf(answers, code);
  if (answer === undefined || answer.unknown) return null;
  if (typeof answer.value === "boolean") return answer.value ? 1 : 0;
  return typeof answer.value === "number" && Number.isFinite(answer.value) ? answer.value : null;
}

/** Own keys only: a field called `constructor` must not read Object.prototype's. */
function answerOf(answers: Answers, code: string): Answer | undefined {
  return Object.hasOwn(answers, code) ? answers[code] : undefined;
}

/** Whether `left operator right` holds, equality within the relative tolerance (see evaluateRules). */
export function compare(operator: ComparisonOperator, left: number, right: number): boolean {
  const equal = Math.abs(left - right) <= 1e-9 * Math.max(1, Math.abs(left), Math.abs(right));
  switch (operator) {
    case "eq":
      return equal;
    case "ne":
      return !equal;
    case "gt":
      return !equal && left > right;
    case "ge":
      return equal || left > right;
    case "lt":
      return !equal && left < right;
    case "le":
      return equal || left < right;
  }
}

// ---------------------------------------------------------------------------------------------
// A response

/**
 * The errors and warnings of a response, in a fixed order whatever the order of `answers`' keys:
 * fields in form order (a bad value, or a required field without an answer when `submission` is
 * true), then answers to fields the form does not have (sorted by code), then violated rules in
 * form order. « je ne sais pas » counts as an answer for requiredness.
 */
export function validateResponse(
  form: FormDefinition,
  answers: Answers,
  previous: Answers,
  options: { submission: boolean },
): { errors: ResponseIssue[]; warnings: ResponseIssue[] } {
  const fields = expandForm(form);
  const issues = [
    ...fields.flatMap((field) => fieldIssues(field, answerOf(answers, field.code), options.submission)),
    ...unknownKeys(fields, answers),
    ...ruleIssues(evaluateRules(form, answers, previous)),
  ];
  return {
    errors: issues.filter((i) => i.importance === "error"),
    warnings: issues.filter((i) => i.importance === "warning"),
  };
}

/** A response's findings, and the ones that refuse it outright (see `checkSubmission`). */
export interface SubmissionCheck {
  /** Bad values and answers to unknown fields: nothing may be stored (rules not evaluated then). */
  readonly refused: ResponseIssue[];
  readonly errors: ResponseIssue[];
  readonly warnings: ResponseIssue[];
}

/**
 * A submission checked in one pass (the server used to run every rule twice: once for the bad
 * values, once for the submission). `refused` is what `validateResponse(…, { submission: false })`
 * reports as errors without a rule; when it is empty, `errors` and `warnings` are exactly
 * `validateResponse(…, { submission: true })`'s.
 */
export function checkSubmission(form: FormDefinition, answers: Answers, previous: Answers): SubmissionCheck {
  const fields = expandForm(form);
  const refused: ResponseIssue[] = [];
  const fieldErrors = fields.flatMap((field) => {
    const answer = answerOf(answers, field.code);
    const problem = checkAnswer(field, answer);
    if (problem === null) return requiredIssues(field, answer);
    const bad = error(field.code, problem);
    refused.push(bad);
    return [bad];
  });
  const unknown = unknownKeys(fields, answers);
  refused.push(...unknown);
  if (refused.length > 0) return { refused, errors: [...fieldErrors, ...unknown], warnings: [] };
  const issues = [...fieldErrors, ...unknown, ...ruleIssues(evaluateRules(form, answers, previous))];
  return {
    refused,
    errors: issues.filter((i) => i.importance === "error"),
    warnings: issues.filter((i) => i.importance === "warning"),
  };
}

function fieldIssues(field: ExpandedField, answer: Answer | undefined, submission: boolean): ResponseIssue[] {
  const problem = checkAnswer(field, answer);
  if (problem !== null) return [error(field.code, problem)];
  return submission ? requiredIssues(field, answer) : [];
}

function requiredIssues(field: ExpandedField, answer: Answer | undefined): ResponseIssue[] {
  return field.required && !hasAnswer(answer)
    ? [error(field.code, `« ${field.label} » est obligatoire`)]
    : [];
}

function unknownKeys(fields: readonly ExpandedField[], answers: Answers): ResponseIssue[] {
  const known = new Set(fields.map((f) => f.code));
  return Object.keys(answers)
    .filter((key) => !known.has(key))
    .sort()
    .map((key) => error(null, `champ inconnu « ${key} »`));
}

function ruleIssues(outcomes: readonly RuleOutcome[]): ResponseIssue[] {
  return outcomes
    .filter((o) => o.status === "violated")
    .map((o) => ({ field: o.fields[0] ?? null, rule: o.rule, importance: o.importance, message: o.message }));
}

function error(field: string | null, message: string): ResponseIssue {
  return { field, rule: null, importance: "error", message };
}

/** Answered for requiredness and completeness: a value, or « je ne sais pas ». */
function hasAnswer(answer: Answer | undefined): boolean {
  return answer !== undefined && (givenValue(answer) !== null || answer.unknown);
}

/**
 * The value of an answer, a blank text being none: a respondent who clears a text box leaves « »,
 * which must not count as an answer (requiredness, pairs, completeness).
 */
function givenValue(answer: Answer): Answer["value"] {
  return typeof answer.value === "string" && answer.value.trim() === "" ? null : answer.value;
}

/** How many fields are required, and how many of those are answered (completeness by filled fields). */
export function requiredAnswered(
  form: FormDefinition,
  answers: Answers,
): { required: number; answered: number } {
  const required = expandForm(form).filter((f) => f.required);
  const answered = required.filter((f) => hasAnswer(answerOf(answers, f.code))).length;
  return { required: required.length, answered };
}
