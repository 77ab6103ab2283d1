import { fr } from "@codegouvfr/react-dsfr";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { Outlet, ScrollRestoration } from "react-router";
import { DemoLoadingNotice } from "./DemoLoadingNotice.tsx";
import { SiteFooter } from "./SiteFooter.tsx";
import { SiteHeader } from "./SiteHeader.tsx";
import { useFocusOnNavigation } from "./useFocusOnNavigation.ts";

export function Layout() {
  useFocusOnNavigation();
  return (
    <>
      <SkipLinks
        links={[
          { label: "Contenu", anchor: "#contenu" },
          { label: "Menu", anchor: "#menu-principal" },
          { label: "Pied de page", anchor: "#pied-de-page" },
        ]}
      />
      <SiteHeader />
      <main id="contenu" tabIndex={-1} className={fr.cx("fr-pb-6w")} style={{ outline: "none" }}>
        <div className={fr.cx("fr-container")}>
          <DemoLoadingNotice />
          <Outlet />
        </div>
      </main>
      <SiteFooter />
      <ScrollRestoration />
    </>
  );
}
