import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { Header } from "@codegouvfr/react-dsfr/Header";
import { MainNavigation } from "@codegouvfr/react-dsfr/MainNavigation";
import { useLocation } from "react-router";

export const NAVIGATION = [
  { text: "Accueil", to: "/" },
  { text: "Territoires", to: "/territoires" },
  { text: "Établissements", to: "/etablissements" },
  { text: "Import de l'Annuaire", to: "/administration/import-annuaire" },
] as const;

function isActive(pathname: string, to: string): boolean {
  return to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`);
}

export function SiteHeader() {
  const { pathname } = useLocation();
  return (
    <Header
      id="en-tete"
      brandTop={
        <>
          République
          <br />
          Française
        </>
      }
      serviceTitle="Vigie"
      serviceTagline="Piloter le numérique éducatif par les données"
      homeLinkProps={{ to: "/", title: "Accueil - Vigie" }}
      quickAccessItems={[headerFooterDisplayItem]}
      navigation={
        <MainNavigation
          id="menu-principal"
          items={NAVIGATION.map((item) => ({
            text: item.text,
            linkProps: { to: item.to },
            isActive: isActive(pathname, item.to),
          }))}
        />
      }
    />
  );
}
