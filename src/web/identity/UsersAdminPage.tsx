import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { RoleId, SessionUser, UserSummary } from "../../contracts/identity.ts";
import { plural } from "../format.ts";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { type FieldError, FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { formatDateTime } from "./format-time.ts";
import { identityApi, identityKeys } from "./identity-api.ts";
import { invitableRoles, ROLE_LABELS } from "./permissions.ts";
import { RequireUser } from "./RequireUser.tsx";

const TITLE = "Utilisateurs et invitations";

/** How to write the territory of each role (docs/identity.md). */
export const TERRITORY_HINTS: Record<RoleId, string> = {
  "national-admin": "FR (la nation)",
  "region-steering": "code de la région académique, ex. 75 (Nouvelle-Aquitaine)",
  "academy-steering": "code de l'académie, ex. 04 (Bordeaux)",
  department: "code du département, ex. 33, 2A, 974",
  district: "code du district, ex. B-… (bassin) ou C-… (circonscription)",
  "school-head": "UAI de l'établissement, ex. 0331234A",
  "school-referent": "UAI de l'établissement, ex. 0331234A",
  "local-authority": "region:75 (ses lycées), department:33 (ses collèges) ou commune:33063 (ses écoles)",
  reader: "FR, ou niveau:code (academy:04, department:33, school:0331234A…)",
};

const STATUS_BADGES: Record<
  UserSummary["status"],
  { label: string; severity: "success" | "info" | "warning" }
> = {
  active: { label: "Actif", severity: "success" },
  invited: { label: "Invité", severity: "info" },
  disabled: { label: "Désactivé", severity: "warning" },
};

const EMAIL_ID = "invitation-adresse";
const ROLE_ID = "invitation-role";
const TERRITORY_ID = "invitation-territoire";

/** `/administration/utilisateurs`: invite a person to a role, and the accounts in one's scope. */
export function UsersAdminPage() {
  return (
    <RequireUser
      title={TITLE}
      permission="users.manage"
      audience="Cette page est réservée aux personnes qui gèrent les comptes (administrateurs, pilotage, département)."
    >
      {(user) => <UsersAdmin user={user} />}
    </RequireUser>
  );
}

function UsersAdmin({ user }: { user: SessionUser }) {
  usePageTitle(TITLE);
  const users = useQuery({ queryKey: identityKeys.users, queryFn: identityApi.users });
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel={TITLE} />
      <h1>{TITLE}</h1>
      <InvitationForm user={user} />
      <section aria-labelledby="comptes-titre" className={fr.cx("fr-mt-6w")}>
        <h2 id="comptes-titre">Comptes de votre périmètre</h2>
        {users.isPending ? (
          <Loading />
        ) : users.isError ? (
          <ErrorAlert error={users.error} />
        ) : users.data.items.length === 0 ? (
          <p>Aucun compte n'a encore de rôle dans votre périmètre.</p>
        ) : (
          <Table
            caption={`Comptes ayant un rôle dans votre périmètre : ${plural(users.data.items.length, "compte")}`}
            headers={["Adresse électronique", "Nom", "État", "Dernière connexion", "Rôles"]}
            data={users.data.items.map((u) => [
              u.email,
              [u.givenName, u.familyName].filter(Boolean).join(" ") || "—",
              <Badge key="status" as="span" small severity={STATUS_BADGES[u.status].severity} noIcon>
                {STATUS_BADGES[u.status].label}
              </Badge>,
              formatDateTime(u.lastLoginAt),
              <ul key="roles" className={fr.cx("fr-raw-list")}>
                {u.roles.map((g) => (
                  <li key={`${g.role}-${g.territory}`}>
                    {ROLE_LABELS[g.role]} — {g.territoryLabel}
                  </li>
                ))}
              </ul>,
            ])}
          />
        )}
      </section>
    </>
  );
}

function InvitationForm({ user }: { user: SessionUser }) {
  const queryClient = useQueryClient();
  const roles = invitableRoles(user);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<RoleId | "">("");
  const [territory, setTerritory] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const resultRef = useRef<HTMLDivElement>(null);
  const invite = useMutation({
    mutationFn: () =>
      identityApi.invite({ email: email.trim(), role: role as RoleId, territory: territory.trim() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityKeys.users }),
  });
  useEffect(() => {
    if (invite.isSuccess) resultRef.current?.focus();
  }, [invite.isSuccess]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      found.push({
        fieldId: EMAIL_ID,
        label: "Adresse électronique",
        message:
          email.trim() === ""
            ? "saisissez l'adresse de la personne."
            : "l'adresse n'est pas au format nom@domaine.fr.",
      });
    }
    if (role === "") found.push({ fieldId: ROLE_ID, label: "Rôle", message: "choisissez un rôle." });
    if (territory.trim() === "")
      found.push({ fieldId: TERRITORY_ID, label: "Territoire", message: "saisissez le territoire du rôle." });
    setErrors(found);
    setSubmits((n) => n + 1);
    invite.reset();
    if (found.length === 0) invite.mutate();
  };

  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.message;
  const capitalised = (text: string | undefined) =>
    text ? text.charAt(0).toUpperCase() + text.slice(1) : undefined;

  return (
    <section aria-labelledby="invitation-titre">
      <h2 id="invitation-titre">Inviter une personne</h2>
      <p>
        La personne reçoit un courriel avec un lien pour activer son compte (valable 7 jours). Si elle a déjà
        un compte, le rôle s'ajoute aux siens. Vous pouvez attribuer les rôles de niveau égal ou inférieur au
        vôtre, dans votre périmètre.
      </p>
      {invite.isSuccess ? (
        <div ref={resultRef} tabIndex={-1} className={fr.cx("fr-mb-4w")}>
          <Alert
            severity={
              invite.data.delivery === "sent" || invite.data.delivery === "logged" ? "success" : "warning"
            }
            title={`Invitation de ${invite.data.user.email}`}
            description={invite.data.message}
          />
        </div>
      ) : null}
      <FormErrorSummary
        title={invite.isError ? "L'invitation n'a pas pu être envoyée" : "Le formulaire contient des erreurs"}
        errors={errors}
        general={invite.isError ? errorMessage(invite.error) : null}
        focusKey={submits}
      />
      <form onSubmit={submit} noValidate>
        <p className={fr.cx("fr-text--sm")}>Tous les champs sont obligatoires.</p>
        <Input
          label="Adresse électronique"
          hintText="Format attendu : nom@domaine.fr"
          state={errorFor(EMAIL_ID) ? "error" : "default"}
          stateRelatedMessage={capitalised(errorFor(EMAIL_ID))}
          nativeInputProps={{
            id: EMAIL_ID,
            type: "email",
            autoComplete: "off",
            required: true,
            value: email,
            onChange: (event) => setEmail(event.target.value),
          }}
        />
        <Select
          label="Rôle"
          state={errorFor(ROLE_ID) ? "error" : "default"}
          stateRelatedMessage={capitalised(errorFor(ROLE_ID))}
          nativeSelectProps={{
            id: ROLE_ID,
            required: true,
            value: role,
            onChange: (event) => setRole(event.target.value as RoleId | ""),
          }}
        >
          <option value="" disabled>
            Choisir un rôle
          </option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </Select>
        <Input
          label="Territoire"
          hintText={
            role
              ? `Pour ce rôle : ${TERRITORY_HINTS[role]}`
              : "Choisissez d'abord le rôle : le format du territoire en dépend."
          }
          state={errorFor(TERRITORY_ID) ? "error" : "default"}
          stateRelatedMessage={capitalised(errorFor(TERRITORY_ID))}
          nativeInputProps={{
            id: TERRITORY_ID,
            required: true,
            value: territory,
            onChange: (event) => setTerritory(event.target.value),
          }}
        />
        <Button type="submit" iconId="fr-icon-mail-line" disabled={invite.isPending}>
          Envoyer l'invitation
        </Button>
        <p role="status" className={fr.cx("fr-mt-2w")}>
          {invite.isPending ? "Envoi de l'invitation en cours…" : null}
        </p>
      </form>
    </section>
  );
}
