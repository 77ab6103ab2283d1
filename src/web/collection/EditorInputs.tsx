import { fr } from "@codegouvfr/react-dsfr";
import type { ReactNode } from "react";
import { formatInput } from "./response-model.ts";

/**
 * The form editor's controls: DSFR classes on native elements, each with its label, its hint and
 * the server's messages about it (error state, `aria-describedby`), at the id its path gives.
 */

interface Common {
  id: string;
  label: string;
  hint?: string;
  errors?: readonly string[];
}

function Group({
  id,
  label,
  hint,
  errors = [],
  kind,
  children,
}: Common & { kind: "input" | "select"; children: (describedBy: string | undefined) => ReactNode }) {
  const described =
    [hint ? `${id}-hint` : null, errors.length > 0 ? `${id}-errors` : null].filter(Boolean).join(" ") ||
    undefined;
  const error = errors.length > 0;
  return (
    <div className={fr.cx(`fr-${kind}-group`, error && `fr-${kind}-group--error`)}>
      <label className={fr.cx("fr-label")} htmlFor={id}>
        {label}
        {hint ? (
          <span className={fr.cx("fr-hint-text")} id={`${id}-hint`}>
            {hint}
          </span>
        ) : null}
      </label>
      {children(described)}
      {error ? (
        <div id={`${id}-errors`}>
          {errors.map((m) => (
            <p key={m} className={fr.cx("fr-error-text")}>
              {m}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export function TextInput(
  props: Common & { value: string; onChange: (v: string) => void; multiline?: boolean; disabled?: boolean },
) {
  const { id, value, onChange, multiline, disabled, errors = [] } = props;
  return (
    <Group {...props} kind="input">
      {(describedBy) =>
        multiline ? (
          <textarea
            className={fr.cx("fr-input", errors.length > 0 && "fr-input--error")}
            id={id}
            value={value}
            rows={2}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            className={fr.cx("fr-input", errors.length > 0 && "fr-input--error")}
            id={id}
            value={value}
            disabled={disabled}
            aria-describedby={describedBy}
            aria-invalid={errors.length > 0 || undefined}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Group>
  );
}

/** A number typed the French way; an empty box is « no bound ». */
export function NumberInput(props: Common & { value: number | undefined; onChange: (v: string) => void }) {
  const { id, value, onChange, errors = [] } = props;
  return (
    <Group {...props} kind="input">
      {(describedBy) => (
        <input
          // A value set from elsewhere (an element's maximum) shows: the box is rebuilt on it.
          key={String(value)}
          className={fr.cx("fr-input", errors.length > 0 && "fr-input--error")}
          id={id}
          inputMode="decimal"
          defaultValue={value === undefined ? "" : formatInput(value)}
          aria-describedby={describedBy}
          aria-invalid={errors.length > 0 || undefined}
          onBlur={(e) => onChange(e.target.value)}
        />
      )}
    </Group>
  );
}

export function SelectInput<T extends string>(
  props: Common & { value: T; options: readonly { value: T; label: string }[]; onChange: (v: T) => void },
) {
  const { id, value, options, onChange } = props;
  return (
    <Group {...props} kind="select">
      {(describedBy) => (
        <select
          className={fr.cx("fr-select")}
          id={id}
          value={value}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value as T)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Group>
  );
}

export function Checkbox({
  id,
  label,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <div className={fr.cx("fr-checkbox-group", "fr-checkbox-group--sm")}>
      <input type="checkbox" id={id} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label className={fr.cx("fr-label")} htmlFor={id}>
        {label}
      </label>
    </div>
  );
}

/** Monter, descendre, supprimer: each names the item for screen readers. */
export function ItemButtons({
  name,
  onUp,
  onDown,
  onRemove,
}: {
  name: string;
  onUp?: () => void;
  onDown?: () => void;
  onRemove: () => void;
}) {
  return (
    <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--sm")}>
      {onUp ? (
        <li>
          <button type="button" className={fr.cx("fr-btn", "fr-btn--tertiary")} onClick={onUp}>
            Monter<span className="fr-sr-only"> {name}</span>
          </button>
        </li>
      ) : null}
      {onDown ? (
        <li>
          <button type="button" className={fr.cx("fr-btn", "fr-btn--tertiary")} onClick={onDown}>
            Descendre<span className="fr-sr-only"> {name}</span>
          </button>
        </li>
      ) : null}
      <li>
        <button type="button" className={fr.cx("fr-btn", "fr-btn--tertiary")} onClick={onRemove}>
          Supprimer<span className="fr-sr-only"> {name}</span>
        </button>
      </li>
    </ul>
  );
}

/** The server's messages about an item as a whole (not one of its properties). */
export function ItemIssues({ messages }: { messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className={fr.cx("fr-alert", "fr-alert--error", "fr-alert--sm", "fr-mb-2w")}>
      <ul className={fr.cx("fr-raw-list")}>
        {messages.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}
