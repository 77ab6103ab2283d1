import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { Header, type HeaderProps } from "@codegouvfr/react-dsfr/Header";
import { MainNavigation } from "@codegouvfr/react-dsfr/MainNavigation";
import { useLocation, useNavigate } from "react-router";
import { ADMIN_PAGES } from "../identity/admin-pages.ts";
import { holds } from "../identity/permissions.ts";
import { loginPath } from "../identity/RequireUser.tsx";
import { useLogout, useSession } from "../identity/useSession.ts";

/** Pages of the login itself: « Se connecter » from there does not come back to them. */
const AUTH_PAGES: ReadonlySet<string> = new Set([
  "/connexion",
  "/activation",
  "/reinitialisation",
  "/mot-de-passe-oublie",
]);

export const NAVIGATION = [
  { text: "Accueil", to: "/" },
  { text: "Territoires", to: "/territoires" },
  { text: "Établissements", to: "/etablissements" },
  { text: "Indicateurs", to: "/indicateurs" },
  { text: "Compétences numériques", to: "/competences" },
  { text: "Feuilles de route", to: "/feuilles-de-route" },
] as const;

/** « Collecte » is shown to the users who launch, fill in or follow campaigns. */
const COLLECTION_PERMISSIONS = ["collection.manage", "collection.respond", "collection.approve"] as const;

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
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  const { user, isPending } = useSession();
  const logout = useLogout();
  // Administration pages: only those the user's roles open (the server checks anyway).
  const adminPages = ADMIN_PAGES.filter((page) => holds(user, page.permission));
  const accountItems: HeaderProps.QuickAccessItem[] = isPending
    ? []
    : user
      ? [
          { iconId: "fr-icon-account-circle-line", text: "Mon compte", linkProps: { to: "/mon-compte" } },
          {
            iconId: "fr-icon-logout-box-r-line",
            text: "Se déconnecter",
            buttonProps: { type: "button", onClick: () => void logout(navigate) },
          },
        ]
      : [
          {
            iconId: "fr-icon-account-circle-line",
            text: "Se connecter",
            // Back here after the login, except from the pages of the login itself.
            linkProps: { to: AUTH_PAGES.has(pathname) ? "/connexion" : loginPath(`${pathname}${search}`) },
          },
        ];
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
      quickAccessItems={[headerFooterDisplayItem, ...accountItems]}
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
          items={[
            ...NAVIGATION.map((item) => ({
              text: item.text,
              linkProps: { to: item.to },
              isActive: isActive(pathname, item.to),
            })),
            // Campaigns: only for the users who launch, fill in or follow them.
            ...(COLLECTION_PERMISSIONS.some((p) => holds(user, p))
              ? [
                  {
                    text: "Collecte",
                    linkProps: { to: "/collecte" },
                    isActive: isActive(pathname, "/collecte"),
                  },
                ]
              : []),
            ...(adminPages.length > 0
              ? [
                  {
                    text: "Administration",
                    isActive: pathname.startsWith("/administration/"),
                    menuLinks: adminPages.map((page) => ({
                      text: page.label,
                      linkProps: { to: page.to },
                      isActive: isActive(pathname, page.to),
                    })),
                  },
                ]
              : []),
          ]}
        />
      }
    />
  );
}
