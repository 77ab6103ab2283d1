import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { Header } from "@codegouvfr/react-dsfr/Header";
import { MainNavigation } from "@codegouvfr/react-dsfr/MainNavigation";
import { useLocation, useNavigate } from "react-router";

export const NAVIGATION = [
  { text: "Accueil", to: "/" },
  { text: "Territoires", to: "/territoires" },
  { text: "Établissements", to: "/etablissements" },
  { text: "Import de l'Annuaire", to: "/administration/import-annuaire" },
] as const;

function isActive(pathname: string, to: string): boolean {
  return to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`);
}

const HEADER_ID = "en-tete";

/** Closes the header's search modal (open on small screens) through the DSFR's own API. */
function concealSearchModal() {
  const modal = document.getElementById(`${HEADER_ID}-search-modal`);
  const dsfr = (window as { dsfr?: (element: Element) => { modal?: { conceal(): void } } }).dsfr;
  if (modal && typeof dsfr === "function") dsfr(modal).modal?.conceal();
}

export function SiteHeader() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  return (
    <Header
      id={HEADER_ID}
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
      renderSearchInput={({ className, id, type }) => (
        <input className={className} id={id} type={type} placeholder="UAI ou nom d'établissement" />
      )}
      onSearchButtonClick={(text) => {
        concealSearchModal();
        navigate(`/etablissements?q=${encodeURIComponent(text.trim())}`);
      }}
      clearSearchInputOnSearch
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
