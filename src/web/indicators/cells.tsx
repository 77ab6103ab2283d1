import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { IndicatorCell } from "../../contracts/indicators.ts";
import { cellDisplay, VERDICT_TEXT, type Verdict } from "./model.ts";

/**
 * A cell as text: its value, « secret statistique » and the reason (written out, not only in a
 * tooltip), or « pas de donnée ». A restricted value (shown to its entitled viewer although not
 * publishable) says so.
 */
export function CellValue({
  cell,
  unit,
  showReason = true,
  restrictedNote,
}: {
  cell: IndicatorCell;
  unit: string;
  showReason?: boolean;
  /** What a restricted value says (by default: « non publiée (<raison>) »). */
  restrictedNote?: string;
}) {
  const display = cellDisplay(cell, unit);
  if (display.kind === "value") {
    return (
      <>
        <span style={{ whiteSpace: "nowrap" }}>{display.text}</span>
        {display.restricted ? (
          <span className={fr.cx("fr-text--xs", "fr-mb-0")} style={{ display: "block" }}>
            {restrictedNote ?? `non publiée (${cell.statusLabel})`}
          </span>
        ) : null}
      </>
    );
  }
  if (display.kind === "secret") {
    return (
      <>
        <span>{display.text}</span>
        {showReason && display.reason ? (
          <span className={fr.cx("fr-text--xs", "fr-mb-0")} style={{ display: "block" }}>
            {display.reason}
          </span>
        ) : null}
      </>
    );
  }
  return <span>{display.text}</span>;
}

/** « Publiée » or « Secret statistique »: a badge with words, never a colour alone. */
export function StatusTag({ cell }: { cell: IndicatorCell }) {
  if (cell.status === "published") {
    return (
      <Badge as="span" small severity="success" noIcon={false}>
        publiée
      </Badge>
    );
  }
  return (
    <Badge as="span" small severity={cell.restricted ? "warning" : "info"}>
      {cell.restricted ? "non publiée" : "secret statistique"}
    </Badge>
  );
}

const VERDICT_SEVERITY: Record<Verdict, "success" | "warning" | "info"> = {
  better: "success",
  worse: "warning",
  equal: "info",
};

/**
 * The verdict of a comparison in a badge: a word (mieux, moins bien, égal) or a sentence
 * (« mieux que la France »), never a colour alone. `decorative` hides it from screen readers when
 * the same sentence is written beside it for them.
 */
export function VerdictTag({
  verdict,
  label,
  decorative = false,
}: {
  verdict: Verdict | null;
  label?: string;
  decorative?: boolean;
}) {
  if (verdict === null) return null;
  return (
    <Badge
      as="span"
      small
      noIcon
      severity={VERDICT_SEVERITY[verdict]}
      {...(decorative ? { "aria-hidden": true } : {})}
    >
      {label ?? VERDICT_TEXT[verdict]}
    </Badge>
  );
}
