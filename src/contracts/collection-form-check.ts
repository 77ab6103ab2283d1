import {
  type Expression,
  ExpressionError,
  expressionFields,
  parseExpression,
} from "./collection-expression.ts";
import {
  type ExpandedField,
  expandForm,
  type FormDefinition,
  type FormField,
  type FormRule,
} from "./collection-model.ts";

/**
 * The checks of a collection form when a DANE defines it (issue 11, docs/collection.md): codes
 * unique once grids are expanded, options, bounds, and rules that read, name the form's fields and
 * compute only over numbers. Pure, shared by the browser (form editor) and the server; re-exported
 * by `collection-rules.ts`, which also skips at evaluation what is reported here.
 */

export interface FormProblem {
  readonly path: string;
  readonly message: string;
}

const NUMERIC_TYPES: ReadonlySet<FormField["type"]> = new Set(["number", "integer", "percentage"]);

/** The types arithmetic reads (yes/no as 1/0); text and option fields may only be a pair's side. */
const ARITHMETIC_TYPES: ReadonlySet<FormField["type"]> = new Set([
  "number",
  "integer",
  "percentage",
  "yes_no",
]);

/** What is wrong with a form, each problem at its path (`sections[0].fields[2].max`); [] = valid. */
export function checkForm(form: FormDefinition): FormProblem[] {
  const fields = expandForm(form);
  const byCode = new Map(fields.map((f) => [f.code, f]));
  return [
    ...duplicateFields(form),
    ...form.sections.flatMap((section, s) =>
      section.fields.flatMap((f, i) => checkField(f, fieldPath(s, i))),
    ),
    ...form.sections.flatMap((section, s) => section.grids.flatMap((g, i) => checkBounds(g, gridPath(s, i)))),
    ...form.rules.flatMap((rule, r) => checkRule(rule, `rules[${r}]`, byCode)),
    ...duplicateRules(form.rules),
  ];
}

const fieldPath = (section: number, field: number) => `sections[${section}].fields[${field}]`;
const gridPath = (section: number, grid: number) => `sections[${section}].grids[${grid}]`;

/** Codes after expansion: two grids, two rows of a grid or two fields may claim the same one. */
function duplicateFields(form: FormDefinition): FormProblem[] {
  const seen = new Map<string, string>();
  const problems: FormProblem[] = [];
  const claim = (code: string, path: string) => {
    const first = seen.get(code);
    if (first === undefined) seen.set(code, path);
    else problems.push({ path, message: `code de champ « ${code} » déjà utilisé à « ${first} »` });
  };
  form.sections.forEach((section, s) => {
    section.fields.forEach((field, i) => {
      claim(field.code, fieldPath(s, i));
    });
    section.grids.forEach((grid, i) => {
      for (const row of grid.rows)
        for (const column of grid.columns) claim(`${grid.code}.${row.code}.${column.code}`, gridPath(s, i));
    });
  });
  return problems;
}

function checkField(field: FormField, path: string): FormProblem[] {
  return [...checkOptions(field, path), ...checkBounds(field, path)];
}

function checkOptions(field: FormField, path: string): FormProblem[] {
  const options = field.options ?? [];
  if (field.type === "option" && options.length === 0)
    return [{ path: `${path}.options`, message: `« ${field.label} » : une liste de choix sans choix` }];
  if (field.type !== "option" && options.length > 0)
    return [
      {
        path: `${path}.options`,
        message: `« ${field.label} » : des choix sur un champ qui n'est pas une liste`,
      },
    ];
  const codes = options.map((o) => o.code);
  const repeated = codes.find((c, i) => codes.indexOf(c) !== i);
  if (repeated === undefined) return [];
  return [{ path: `${path}.options`, message: `« ${field.label} » : choix « ${repeated} » en double` }];
}

type Bounded = Pick<FormField, "label" | "type" | "min" | "max">;

function checkBounds(field: Bounded, path: string): FormProblem[] {
  if (!NUMERIC_TYPES.has(field.type)) return unexpectedBounds(field, path);
  const { min, max, label } = field;
  const inverted: FormProblem[] =
    min !== undefined && max !== undefined && min > max
      ? [
          {
            path: `${path}.min`,
            message: `« ${label} » : minimum ${frenchNumber(min)} supérieur au maximum ${frenchNumber(max)}`,
          },
        ]
      : [];
  return [...inverted, ...percentageBound(field, "min", path), ...percentageBound(field, "max", path)];
}

function percentageBound(field: Bounded, bound: "min" | "max", path: string): FormProblem[] {
  const value = field[bound];
  if (field.type !== "percentage" || value === undefined || (value >= 0 && value <= 100)) return [];
  const name = bound === "min" ? "minimum" : "maximum";
  return [
    {
      path: `${path}.${bound}`,
      message: `« ${field.label} » : un pourcentage va de 0 à 100 (${name} ${frenchNumber(value)})`,
    },
  ];
}

/** Bounds on a yes/no, option or text field would be ignored: say so rather than let a DANE rely on them. */
function unexpectedBounds(field: Bounded, path: string): FormProblem[] {
  if (field.min === undefined && field.max === undefined) return [];
  const bound = field.min === undefined ? "max" : "min";
  return [
    {
      path: `${path}.${bound}`,
      message: `« ${field.label} » : des bornes sur un champ qui n'est pas un nombre`,
    },
  ];
}

function checkRule(rule: FormRule, path: string, fields: ReadonlyMap<string, ExpandedField>): FormProblem[] {
  return (["left", "right"] as const).flatMap((side) => checkSide(rule, side, `${path}.${side}`, fields));
}

function checkSide(
  rule: FormRule,
  side: "left" | "right",
  path: string,
  fields: ReadonlyMap<string, ExpandedField>,
): FormProblem[] {
  let expression: Expression;
  try {
    expression = parseExpression(rule[side]);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return [{ path, message: `règle « ${rule.code} » : ${error.message}` }];
  }
  if (isPair(rule)) return checkPairSide(rule, expression, path, fields);
  return checkArithmetic(rule, expression, path, fields);
}

function checkPairSide(
  rule: FormRule,
  expression: Expression,
  path: string,
  fields: ReadonlyMap<string, ExpandedField>,
): FormProblem[] {
  if (expression.kind !== "field")
    return [{ path, message: `règle « ${rule.code} » : chaque côté d'une paire est un seul code de champ` }];
  if (fields.has(expression.code)) return [];
  return [{ path, message: `règle « ${rule.code} » : champ inconnu « ${expression.code} »` }];
}

function checkArithmetic(
  rule: FormRule,
  expression: Expression,
  path: string,
  fields: ReadonlyMap<string, ExpandedField>,
): FormProblem[] {
  const { current, previous } = expressionFields(expression);
  return [...new Set([...current, ...previous])].flatMap((code): FormProblem[] => {
    const field = fields.get(code);
    if (field === undefined) return [{ path, message: `règle « ${rule.code} » : champ inconnu « ${code} »` }];
    if (ARITHMETIC_TYPES.has(field.type)) return [];
    const type = field.type === "text" ? "texte" : "liste de choix";
    return [
      {
        path,
        message: `règle « ${rule.code} » : le champ « ${code} » (${type}) ne se calcule pas ; il ne peut être qu'un côté d'une paire`,
      },
    ];
  });
}

function duplicateRules(rules: readonly FormRule[]): FormProblem[] {
  const seen = new Set<string>();
  return rules.flatMap((rule, r): FormProblem[] => {
    if (!seen.has(rule.code)) {
      seen.add(rule.code);
      return [];
    }
    return [{ path: `rules[${r}].code`, message: `code de règle « ${rule.code} » en double` }];
  });
}

export function isPair(rule: Pick<FormRule, "operator">): boolean {
  return rule.operator === "compulsory_pair" || rule.operator === "exclusive_pair";
}

/** A number the French way (decimal comma), the same in every browser and on the server. */
export function frenchNumber(value: number): string {
  return String(value).replace(".", ",");
}
