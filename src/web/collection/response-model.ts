import type { ResponseView } from "../../contracts/collection.ts";
import {
  type Answer,
  type Answers,
  type ExpandedField,
  expandForm,
  type FormDefinition,
} from "../../contracts/collection-model.ts";
import { checkAnswer, type ResponseIssue, validateResponse } from "../../contracts/collection-rules.ts";

/**
 * The filling-in page's model, free of React and of the browser: what a typed text becomes as an
 * answer, the answers the page starts from (known headcounts pre-filled), what is sent at autosave
 * (never a value the server would refuse), and the live errors and warnings of the shared rules.
 */

const NUMERIC = new Set(["number", "integer", "percentage"]);
/** A French number: digits, optional decimal comma (or point), spaces as thousands separators. */
const FRENCH_NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/;

/**
 * The value of a typed text for a numeric field: « 12,5 » → 12.5, « 1 200 » → 1200, « » → null.
 * A text that is not a number is kept as typed, so that `checkAnswer` names the problem
 * (« un nombre est attendu ») and the person sees what they typed.
 */
export function parseNumberInput(text: string): number | string | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, "");
  if (compact === "") return null;
  if (!FRENCH_NUMBER.test(compact)) return text;
  return Number(compact.replace(",", "."));
}

/** What an input shows for a stored value: numbers with a decimal comma. */
export function formatInput(value: Answer["value"] | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value).replace(".", ",");
  return String(value);
}

/** The answer after a change of its value, its « je ne sais pas » or its comment; undefined when empty. */
export function updateAnswer(current: Answer | undefined, change: Partial<Answer>): Answer | undefined {
  const next: Answer = { value: null, unknown: false, ...current, ...change };
  if (next.comment !== undefined && next.comment.trim() === "") delete next.comment;
  if (next.value === null && !next.unknown && next.comment === undefined) return undefined;
  return next;
}

export function withAnswer(answers: Answers, code: string, answer: Answer | undefined): Answers {
  const next = { ...answers };
  if (answer === undefined) delete next[code];
  else next[code] = answer;
  return next;
}

/** The value a typed text gives a field of this type (numbers parsed, other types as given). */
export function parseInput(field: Pick<ExpandedField, "type">, text: string): Answer["value"] {
  if (NUMERIC.has(field.type)) return parseNumberInput(text);
  return text === "" ? null : text;
}

/**
 * The answers the page starts from: the stored ones, and the known headcount in each field that
 * has one and no answer yet (`prefilled` lists them, to say « pré-rempli avec l'effectif connu »).
 */
export function initialAnswers(view: Pick<ResponseView, "answers" | "prefill">): {
  answers: Answers;
  prefilled: Set<string>;
} {
  const answers: Answers = { ...view.answers };
  const prefilled = new Set<string>();
  for (const [code, value] of Object.entries(view.prefill)) {
    if (answers[code] !== undefined) continue;
    answers[code] = { value, unknown: false };
    prefilled.add(code);
  }
  return { answers, prefilled };
}

/** The problem of each field's answer (type, bounds, « je ne sais pas »), by field code. */
export function fieldProblems(form: FormDefinition, answers: Answers): Map<string, string> {
  const out = new Map<string, string>();
  for (const field of expandForm(form)) {
    const problem = checkAnswer(field, answers[field.code]);
    if (problem !== null) out.set(field.code, problem);
  }
  return out;
}

/**
 * What an autosave sends: every answer that passes `checkAnswer`; for one that does not, the last
 * saved answer of that field (the server refuses the whole save for one bad value, and a save
 * replaces all the answers: a typo must neither block the others nor erase the stored value).
 */
export function sendableAnswers(form: FormDefinition, answers: Answers, saved: Answers): Answers {
  const out: Answers = {};
  for (const field of expandForm(form)) {
    const local = answers[field.code];
    const chosen = checkAnswer(field, local) === null ? local : saved[field.code];
    if (chosen !== undefined) out[field.code] = chosen;
  }
  return out;
}

/** Two answer sets hold the same answers (whatever the order of their keys). */
export function sameAnswers(a: Answers, b: Answers): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === undefined || y === undefined) {
      if (x !== y) return false;
      continue;
    }
    if (x.value !== y.value || x.unknown !== y.unknown || (x.comment ?? "") !== (y.comment ?? ""))
      return false;
  }
  return true;
}

export interface LiveIssues {
  /** Errors and warnings as the person types (a required field left empty is not one yet). */
  errors: ResponseIssue[];
  warnings: ResponseIssue[];
  /** Errors that would refuse a submission now (the above, and required fields without an answer). */
  blocking: ResponseIssue[];
}

/** The shared rules over the answers, as the page shows them. */
export function liveIssues(form: FormDefinition, answers: Answers, previous: Answers): LiveIssues {
  const now = validateResponse(form, answers, previous, { submission: false });
  const atSubmission = validateResponse(form, answers, previous, { submission: true });
  return { errors: now.errors, warnings: now.warnings, blocking: atSubmission.errors };
}

/** The DOM id of a field's input (grid cells are named `grid.row.column`: dots are not welcome in ids). */
export function fieldId(code: string): string {
  return `champ-${code.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
}

/** « 3 erreurs », « 1 avertissement ». */
export function countLabel(count: number, singular: string, plural: string): string {
  return `${count} ${count > 1 ? plural : singular}`;
}
