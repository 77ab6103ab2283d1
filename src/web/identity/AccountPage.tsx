import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import type { SessionUser } from "../../contracts/identity.ts";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { ADMIN_PAGES } from "./admin-pages.ts";
import { holds, ROLE_LABELS } from "./permissions.ts";
import { RequireUser } from "./RequireUser.tsx";
import { useLogout } from "./useSession.ts";

export function displayName(user: Pick<SessionUser, "givenName" | "familyName" | "email">): string {
  const name = [user.givenName, user.familyName].filter(Boolean).join(" ");
  return name || user.email;
}

/** `/mon-compte`: who I am for Vigie, my roles and their territories, log out, my data. */
export function AccountPage() {
  return <RequireUser title="Mon compte">{(user) => <Account user={user} />}</RequireUser>;
}

function Account({ user }: { user: SessionUser }) {
  usePageTitle("Mon compte");
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [leaving, setLeaving] = useState(false);
  const flash = (location.state as { flash?: string } | null)?.flash;
  const adminPages = ADMIN_PAGES.filter((page) => holds(user, page.permission));

  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel="Mon compte" />
      <h1>Mon compte</h1>
      {flash ? <Alert className={fr.cx("fr-mb-4w")} severity="success" small description={flash} /> : null}
      <section aria-labelledby="identite-titre" className={fr.cx("fr-mb-6w")}>
        <h2 id="identite-titre">Mon identité</h2>
        <dl>
          <dt className={fr.cx("fr-text--bold")}>Nom</dt>
          <dd className={fr.cx("fr-ml-0", "fr-mb-2w")}>
            {[user.givenName, user.familyName].filter(Boolean).join(" ") || "non renseigné"}
          </dd>
          <dt className={fr.cx("fr-text--bold")}>Adresse électronique</dt>
          <dd className={fr.cx("fr-ml-0", "fr-mb-2w")}>{user.email}</dd>
        </dl>
      </section>

      <section aria-labelledby="roles-titre" className={fr.cx("fr-mb-6w")}>
        <h2 id="roles-titre">Mes rôles</h2>
        {user.roles.length === 0 ? (
          <p>
            Votre compte n'a aucun rôle pour le moment : vous voyez les données publiques. Demandez un rôle à
            l'administrateur de votre académie ou de votre région académique.
          </p>
        ) : (
          <Table
            caption="Mes rôles et leurs territoires"
            headers={["Rôle", "Territoire"]}
            data={user.roles.map((grant) => [ROLE_LABELS[grant.role], grant.territoryLabel])}
            noScroll
          />
        )}
      </section>

      {adminPages.length > 0 ? (
        <section aria-labelledby="administration-titre" className={fr.cx("fr-mb-6w")}>
          <h2 id="administration-titre">Administration</h2>
          <ul>
            {adminPages.map((page) => (
              <li key={page.to}>
                <Link to={page.to}>{page.label}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="donnees-titre" className={fr.cx("fr-mb-6w")}>
        <h2 id="donnees-titre">Mes données personnelles</h2>
        <p>
          Consultez et téléchargez tout ce que Vigie conserve sur vous, ou demandez la suppression de votre
          compte.
        </p>
        <Link
          className={fr.cx("fr-link", "fr-icon-arrow-right-line", "fr-link--icon-right")}
          to="/mes-donnees"
        >
          Mes données
        </Link>
      </section>

      <Button
        priority="secondary"
        iconId="fr-icon-logout-box-r-line"
        disabled={leaving}
        onClick={async () => {
          setLeaving(true);
          await logout(navigate);
        }}
      >
        Se déconnecter
      </Button>
    </>
  );
}
