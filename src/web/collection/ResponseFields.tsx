import { fr } from "@codegouvfr/react-dsfr";
import { type ReactNode, useState } from "react";
import type { Answer, ExpandedField, FormGrid, FormSection } from "../../contracts/collection-form.ts";
import type { ResponseIssue } from "../../contracts/collection-rules.ts";
import { fieldId, formatInput, parseInput, updateAnswer } from "./response-model.ts";

/**
 * The controls of a response's form, section by section (DSFR classes on native elements, so
 * that every help, last year's value and error is tied to its control by `aria-describedby`).
 * Grids are tables with row and column headers, one number input per cell, each with its comment.
 */

export interface FieldContext {
  answers: Readonly<Record<string, Answer>>;
  previous: Readonly<Record<string, Answer>>;
  prefilled: ReadonlySet<string>;
  /** Errors and warnings by field code (a rule's under the first field it names). */
  issues: ReadonlyMap<string, readonly ResponseIssue[]>;
  readOnly: boolean;
  onChange: (code: string, answer: Answer | undefined) => void;
}

export function SectionFields({
  section,
  fields,
  ctx,
}: {
  section: FormSection;
  fields: readonly ExpandedField[];
  ctx: FieldContext;
}) {
  const plain = fields.filter((f) => f.section === section.code && !f.grid);
  return (
    <section className={fr.cx("fr-mb-6w")} aria-labelledby={`section-${section.code}`}>
      <h2 id={`section-${section.code}`}>{section.title}</h2>
      {section.help ? <p className={fr.cx("fr-text--sm")}>{section.help}</p> : null}
      {plain.map((field) => (
        <Field key={field.code} field={field} ctx={ctx} />
      ))}
      {section.grids.map((grid) => (
        <Grid
          key={grid.code}
          grid={grid}
          cells={fields.filter((f) => f.grid?.code === grid.code)}
          ctx={ctx}
        />
      ))}
    </section>
  );
}

/** A value as read back: « 12,5 élèves », « Oui », « Je ne sais pas ». */
export function answerText(field: ExpandedField, answer: Answer | undefined): string {
  if (!answer) return "—";
  if (answer.unknown) return "Je ne sais pas";
  const value = answer.value;
  if (value === null) return "—";
  if (typeof value === "boolean") return value ? "Oui" : "Non";
  if (field.type === "option") return field.options?.find((o) => o.code === value)?.label ?? String(value);
  if (typeof value === "number") return `${formatInput(value)}${field.unit ? ` ${field.unit}` : ""}`;
  return value;
}

function ids(code: string) {
  const id = fieldId(code);
  return { id, help: `${id}-aide`, previous: `${id}-an-dernier`, messages: `${id}-messages` };
}

function Messages({ id, issues }: { id: string; issues: readonly ResponseIssue[] | undefined }) {
  if (!issues || issues.length === 0) return null;
  return (
    <div id={id}>
      {issues.map((issue) => (
        <p
          key={`${issue.rule ?? "valeur"}-${issue.message}`}
          className={fr.cx(issue.importance === "error" ? "fr-error-text" : "fr-info-text")}
        >
          {issue.importance === "warning" ? "Avertissement : " : null}
          {issue.message}
        </p>
      ))}
    </div>
  );
}

function Field({ field, ctx }: { field: ExpandedField; ctx: FieldContext }) {
  const answer = ctx.answers[field.code];
  const issues = ctx.issues.get(field.code);
  const hasError = issues?.some((i) => i.importance === "error") ?? false;
  const n = ids(field.code);
  const previous = ctx.previous[field.code];
  const describedBy = [
    field.help ? n.help : null,
    previous ? n.previous : null,
    ctx.prefilled.has(field.code) ? `${n.id}-prerempli` : null,
    issues?.length ? n.messages : null,
  ]
    .filter((x) => x !== null)
    .join(" ");
  const label = (
    <>
      {field.label}
      {field.unit ? ` (${field.unit})` : ""}
      {field.required ? "" : " (facultatif)"}
      {field.help ? (
        <span id={n.help} className={fr.cx("fr-hint-text")}>
          {field.help}
        </span>
      ) : null}
    </>
  );
  const extra = (
    <>
      {previous ? (
        <p id={n.previous} className={fr.cx("fr-hint-text", "fr-mt-1w", "fr-mb-0")}>
          L'an dernier : {answerText(field, previous)}
        </p>
      ) : null}
      {ctx.prefilled.has(field.code) ? (
        <p id={`${n.id}-prerempli`} className={fr.cx("fr-info-text")}>
          Pré-rempli avec l'effectif connu
        </p>
      ) : null}
      <Messages id={n.messages} issues={issues} />
    </>
  );
  if (ctx.readOnly)
    return (
      <div className={fr.cx("fr-mb-3w")}>
        <p className={fr.cx("fr-mb-0")}>
          <strong>{field.label}</strong> : {answerText(field, answer)}
        </p>
        {answer?.comment ? <p className={fr.cx("fr-text--sm")}>Commentaire : {answer.comment}</p> : null}
        {previous ? (
          <p className={fr.cx("fr-hint-text")}>L'an dernier : {answerText(field, previous)}</p>
        ) : null}
      </div>
    );
  const change = (patch: Partial<Answer>) => ctx.onChange(field.code, updateAnswer(answer, patch));
  const control = { field, answer, describedBy, hasError, change, id: n.id };
  return (
    <div className={fr.cx("fr-mb-4w")}>
      {field.type === "yes_no" ? (
        <YesNo {...control} legend={label} extra={extra} />
      ) : field.type === "option" && (field.options?.length ?? 0) <= 4 ? (
        <OptionRadios {...control} legend={label} extra={extra} />
      ) : (
        <div className={fr.cx("fr-input-group", hasError ? "fr-input-group--error" : null)}>
          <label className={fr.cx("fr-label")} htmlFor={n.id}>
            {label}
          </label>
          <ValueInput key={String(answer?.unknown ?? false)} {...control} />
          {extra}
        </div>
      )}
      {field.allowUnknown ? <Unknown {...control} /> : null}
      <Comment {...control} />
    </div>
  );
}

interface ControlProps {
  field: ExpandedField;
  answer: Answer | undefined;
  id: string;
  describedBy: string;
  hasError: boolean;
  change: (patch: Partial<Answer>) => void;
}

function ValueInput({
  field,
  answer,
  id,
  describedBy,
  hasError,
  change,
  compact,
}: ControlProps & { compact?: boolean }) {
  // The typed text is kept as typed (« 12, » while typing 12,5); the answer holds what it reads as.
  const [text, setText] = useState(() => formatInput(answer?.value));
  const common = {
    id,
    "aria-describedby": describedBy || undefined,
    "aria-invalid": hasError || undefined,
    disabled: answer?.unknown ?? false,
  };
  if (field.type === "text")
    return (
      <textarea
        {...common}
        className={fr.cx("fr-input")}
        rows={3}
        maxLength={4000}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          change({ value: parseInput(field, e.target.value) });
        }}
      />
    );
  if (field.type === "option")
    return (
      <select
        {...common}
        className={fr.cx("fr-select")}
        value={typeof answer?.value === "string" ? answer.value : ""}
        onChange={(e) => change({ value: e.target.value === "" ? null : e.target.value })}
      >
        <option value="">Sélectionnez une réponse</option>
        {field.options?.map((o) => (
          <option key={o.code} value={o.code}>
            {o.label}
          </option>
        ))}
      </select>
    );
  return (
    <input
      {...common}
      className={fr.cx("fr-input")}
      style={compact ? { minWidth: "5rem" } : { maxWidth: "16rem" }}
      type="text"
      inputMode="decimal"
      autoComplete="off"
      value={answer?.unknown ? "" : text}
      onChange={(e) => {
        setText(e.target.value);
        change({ value: parseInput(field, e.target.value) });
      }}
    />
  );
}

function YesNo({ legend, extra, ...p }: ControlProps & { legend: ReactNode; extra: ReactNode }) {
  const choices = [
    { value: true, label: "Oui" },
    { value: false, label: "Non" },
  ];
  return (
    <RadioFieldset {...p} legend={legend} extra={extra}>
      {choices.map((c, i) => (
        <Radio
          key={c.label}
          id={i === 0 ? p.id : `${p.id}-${c.label.toLowerCase()}`}
          name={p.id}
          label={c.label}
          checked={p.answer?.value === c.value}
          disabled={p.answer?.unknown ?? false}
          onSelect={() => p.change({ value: c.value })}
        />
      ))}
    </RadioFieldset>
  );
}

function OptionRadios({ legend, extra, ...p }: ControlProps & { legend: ReactNode; extra: ReactNode }) {
  return (
    <RadioFieldset {...p} legend={legend} extra={extra}>
      {(p.field.options ?? []).map((o, i) => (
        <Radio
          key={o.code}
          id={i === 0 ? p.id : `${p.id}-${o.code}`}
          name={p.id}
          label={o.label}
          checked={p.answer?.value === o.code}
          disabled={p.answer?.unknown ?? false}
          onSelect={() => p.change({ value: o.code })}
        />
      ))}
    </RadioFieldset>
  );
}

function RadioFieldset({
  id,
  describedBy,
  hasError,
  legend,
  extra,
  children,
}: ControlProps & { legend: ReactNode; extra: ReactNode; children: ReactNode }) {
  return (
    <fieldset
      className={fr.cx("fr-fieldset", hasError ? "fr-fieldset--error" : null)}
      aria-describedby={describedBy || undefined}
      id={`${id}-groupe`}
    >
      <legend className={fr.cx("fr-fieldset__legend")}>{legend}</legend>
      {children}
      <div className={fr.cx("fr-messages-group")}>{extra}</div>
    </fieldset>
  );
}

function Radio(props: {
  id: string;
  name: string;
  label: string;
  checked: boolean;
  disabled: boolean;
  onSelect: () => void;
}) {
  return (
    <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
      <div className={fr.cx("fr-radio-group")}>
        <input
          type="radio"
          id={props.id}
          name={props.name}
          checked={props.checked}
          disabled={props.disabled}
          onChange={props.onSelect}
        />
        <label className={fr.cx("fr-label")} htmlFor={props.id}>
          {props.label}
        </label>
      </div>
    </div>
  );
}

function Unknown({ field, answer, id, change }: ControlProps) {
  return (
    <div className={fr.cx("fr-checkbox-group", "fr-checkbox-group--sm", "fr-mt-1w")}>
      <input
        type="checkbox"
        id={`${id}-inconnu`}
        checked={answer?.unknown ?? false}
        onChange={(e) => change(e.target.checked ? { unknown: true, value: null } : { unknown: false })}
      />
      <label className={fr.cx("fr-label")} htmlFor={`${id}-inconnu`}>
        Je ne sais pas<span className={fr.cx("fr-sr-only")}> ({field.label})</span>
      </label>
    </div>
  );
}

function Comment({ field, answer, id, change }: ControlProps) {
  const [text, setText] = useState(answer?.comment ?? "");
  return (
    <details className={fr.cx("fr-mt-1w")} open={Boolean(answer?.comment) || undefined}>
      <summary className={fr.cx("fr-text--sm")}>
        Commentaire<span className={fr.cx("fr-sr-only")}> sur « {field.label} »</span>
      </summary>
      <div className={fr.cx("fr-input-group", "fr-mt-1w")}>
        <label className={fr.cx("fr-label")} htmlFor={`${id}-commentaire`}>
          Commentaire sur « {field.label} » (facultatif)
        </label>
        <textarea
          id={`${id}-commentaire`}
          className={fr.cx("fr-input")}
          rows={2}
          maxLength={2000}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            change({ comment: e.target.value });
          }}
        />
      </div>
    </details>
  );
}

function Grid({ grid, cells, ctx }: { grid: FormGrid; cells: readonly ExpandedField[]; ctx: FieldContext }) {
  const captionId = `grille-${grid.code}`;
  return (
    <div className={fr.cx("fr-table", "fr-mb-4w")}>
      <div className="fr-table__wrapper">
        <div className="fr-table__container">
          <div className="fr-table__content">
            <table aria-describedby={grid.help ? `${captionId}-aide` : undefined}>
              <caption id={captionId}>
                {grid.label}
                {grid.unit ? ` (${grid.unit})` : ""}
                {grid.required ? "" : " (facultatif)"}
              </caption>
              <thead>
                <tr>
                  <td />
                  {grid.columns.map((c) => (
                    <th key={c.code} scope="col" id={`${captionId}-col-${c.code}`}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {grid.rows.map((row) => (
                  <tr key={row.code}>
                    <th scope="row" id={`${captionId}-row-${row.code}`}>
                      {row.label}
                    </th>
                    {grid.columns.map((column) => {
                      const cell = cells.find(
                        (f) => f.grid?.row === row.code && f.grid?.column === column.code,
                      );
                      return <td key={column.code}>{cell ? <Cell field={cell} ctx={ctx} /> : null}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
      {grid.help ? (
        <p id={`${captionId}-aide`} className={fr.cx("fr-hint-text", "fr-mt-1w")}>
          {grid.help}
        </p>
      ) : null}
    </div>
  );
}

function Cell({ field, ctx }: { field: ExpandedField; ctx: FieldContext }) {
  const answer = ctx.answers[field.code];
  const previous = ctx.previous[field.code];
  const issues = ctx.issues.get(field.code);
  const n = ids(field.code);
  if (ctx.readOnly)
    return (
      <>
        {answerText(field, answer)}
        {answer?.comment ? (
          <p className={fr.cx("fr-text--xs", "fr-mb-0")}>Commentaire : {answer.comment}</p>
        ) : null}
      </>
    );
  const hasError = issues?.some((i) => i.importance === "error") ?? false;
  const describedBy = [previous ? n.previous : null, issues?.length ? n.messages : null]
    .filter((x) => x !== null)
    .join(" ");
  const control: ControlProps = {
    field,
    answer,
    id: n.id,
    describedBy,
    hasError,
    change: (patch) => ctx.onChange(field.code, updateAnswer(answer, patch)),
  };
  return (
    <div className={fr.cx("fr-input-group", "fr-mb-0", hasError ? "fr-input-group--error" : null)}>
      <label className={fr.cx("fr-sr-only")} htmlFor={n.id}>
        {field.label}
      </label>
      {/* Remounted when « je ne sais pas » toggles: the kept text follows the answer again. */}
      <ValueInput key={String(answer?.unknown ?? false)} {...control} compact />
      {previous ? (
        <p id={n.previous} className={fr.cx("fr-hint-text", "fr-mb-0")}>
          L'an dernier : {answerText(field, previous)}
        </p>
      ) : null}
      <Messages id={n.messages} issues={issues} />
      {field.allowUnknown ? <Unknown {...control} /> : null}
      <CellComment {...control} />
    </div>
  );
}

/**
 * A cell's comment: a button that opens a text area below the cell's input. A `details` per cell
 * would put a disclosure line in every cell; the button stays one small line, and its text area
 * is kept (hidden) while closed so that what was typed survives.
 */
function CellComment({ field, answer, id, change }: ControlProps) {
  const [text, setText] = useState(answer?.comment ?? "");
  const [open, setOpen] = useState(Boolean(answer?.comment));
  const zone = `${id}-commentaire-zone`;
  const filled = text.trim() !== "";
  return (
    <>
      <button
        type="button"
        className={fr.cx("fr-btn", "fr-btn--tertiary-no-outline", "fr-btn--sm", "fr-mt-1w")}
        aria-expanded={open}
        aria-controls={zone}
        onClick={() => setOpen(!open)}
      >
        Commentaire<span className={fr.cx("fr-sr-only")}> sur « {field.label} »</span>
        {/* Seen at a glance when closed; the text area itself says it to a screen reader. */}
        {filled ? <span aria-hidden="true"> •</span> : null}
      </button>
      <div id={zone} hidden={!open} className={fr.cx("fr-mt-1w")}>
        <label className={fr.cx("fr-sr-only")} htmlFor={`${id}-commentaire`}>
          Commentaire sur « {field.label} » (facultatif)
        </label>
        <textarea
          id={`${id}-commentaire`}
          className={fr.cx("fr-input")}
          style={{ minWidth: "10rem" }}
          rows={2}
          maxLength={2000}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            change({ comment: e.target.value });
          }}
        />
      </div>
    </>
  );
}
