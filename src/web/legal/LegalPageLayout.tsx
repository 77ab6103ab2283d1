import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import type { ReactNode } from "react";
import { usePageTitle } from "../layout/usePageTitle.ts";

/** Breadcrumb, title and a readable column for the legal pages. */
export function LegalPageLayout({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel={title} />
      <div className={fr.cx("fr-grid-row")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>
          <h1>{title}</h1>
          {children}
        </div>
      </div>
    </>
  );
}

export function ExternalLink({ href, children }: { href: string; children: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" title={`${children} - nouvelle fenêtre`}>
      {children}
    </a>
  );
}
