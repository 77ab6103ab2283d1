import { fr } from "@codegouvfr/react-dsfr";
import type { ReactNode } from "react";

/**
 * Positioned, so that the absolutely placed text for screen readers (fr-sr-only) in its cells
 * scrolls with the table instead of widening the page on a narrow screen.
 */
const CONTAINED = { position: "relative" } as const;

/**
 * A DSFR table whose scrolling container (narrow screens) is reachable with the keyboard and
 * named after the table's caption (axe « scrollable-region-focusable », RGAA 7.3), and contains
 * everything in its cells (a 375 px page never scrolls sideways because of a table).
 */
export function DataTable({
  caption,
  head,
  children,
}: {
  caption: string;
  head: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className={fr.cx("fr-table")}>
      <div className="fr-table__wrapper">
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable with the keyboard */}
        <section className="fr-table__container" tabIndex={0} aria-label={caption} style={CONTAINED}>
          <div className="fr-table__content">
            <table>
              <caption>{caption}</caption>
              <thead>{head}</thead>
              <tbody>{children}</tbody>
            </table>
          </div>
        </section>
      </div>
    </div>
  );
}
