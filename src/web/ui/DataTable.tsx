import { fr } from "@codegouvfr/react-dsfr";
import type { ReactNode } from "react";

/**
 * A DSFR table whose scrolling container (narrow screens) is reachable with the keyboard and
 * named after the table's caption (axe « scrollable-region-focusable », RGAA 7.3).
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
        <section className="fr-table__container" tabIndex={0} aria-label={caption}>
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
