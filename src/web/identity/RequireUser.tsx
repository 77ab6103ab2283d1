import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import type { ReactNode } from "react";
import { Link, useLocation } from "react-router";
import type { SessionUser } from "../../contracts/identity.ts";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { holds, type WebPermission } from "./permissions.ts";
import { useSession } from "./useSession.ts";

/** `/connexion?retour=…`: the login page comes back here afterwards. */
export function loginPath(returnTo: string): string {
  return returnTo === "/" ? "/connexion" : `/connexion?retour=${encodeURIComponent(returnTo)}`;
}

type Props = {
  /** The page's title: shown as its heading when the person may not see the page either. */
  title: string;
  /** Breadcrumb segments above the page, when it is under another one (Administration…). */
  segments?: { label: string; linkProps: { to: string } }[];
  permission?: WebPermission;
  /** What to say of the page to someone who is not allowed (« réservée aux administrateurs… »). */
  audience?: string;
  children: (user: SessionUser) => ReactNode;
};

/**
 * Shows the page to a signed-in user holding the permission, and otherwise explains, in French,
 * what to do: sign in (with a link that comes back here) or ask for the right role. The server
 * refuses the same requests anyway: this only avoids a page of errors.
 */
export function RequireUser({ children, ...props }: Props) {
  const session = useSession();
  const { user } = session;
  if (user !== null && (props.permission === undefined || holds(user, props.permission))) {
    return <>{children(user)}</>;
  }
  return <NotAllowed {...props} {...session} />;
}

function NotAllowed({
  title,
  segments = [],
  audience,
  user,
  isPending,
  error,
}: Omit<Props, "children"> & ReturnType<typeof useSession>) {
  const location = useLocation();
  // (The page itself sets its title once shown: this component is not rendered then.)
  usePageTitle(isPending ? title : user ? `${title} - accès refusé` : `${title} - connexion requise`);
  const heading = (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={segments} currentPageLabel={title} />
      <h1>{title}</h1>
    </>
  );
  if (isPending) return <Loading />;
  if (error) {
    return (
      <>
        {heading}
        <ErrorAlert error={error} title="Votre session n'a pas pu être vérifiée" />
      </>
    );
  }
  if (!user) {
    return (
      <>
        {heading}
        <Alert
          className={fr.cx("fr-mb-4w")}
          severity="info"
          title="Connexion requise"
          description={<>{audience ? `${audience} ` : null}Connectez-vous pour accéder à cette page.</>}
        />
        <Link className={fr.cx("fr-btn")} to={loginPath(`${location.pathname}${location.search}`)}>
          Se connecter
        </Link>
      </>
    );
  }
  return (
    <>
      {heading}
      <Alert
        className={fr.cx("fr-mb-4w")}
        severity="warning"
        title="Accès refusé"
        description={
          <>
            {audience ? `${audience} ` : null}Votre compte ({user.email}) n'a pas le rôle nécessaire.
            Demandez-le à l'administrateur de votre académie ou de votre région académique.
          </>
        }
      />
      <Link className={fr.cx("fr-link")} to="/mon-compte">
        Voir mes rôles
      </Link>
    </>
  );
}
