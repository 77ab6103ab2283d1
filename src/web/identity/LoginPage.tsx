import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { ProConnectButton } from "@codegouvfr/react-dsfr/ProConnectButton";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../api.ts";
import { errorMessage } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { type FieldError, FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { identityApi, identityKeys } from "./identity-api.ts";
import { useSession, useSessionChanged } from "./useSession.ts";

/** Messages of `/connexion?erreur=…` (a ProConnect login that did not open a session). */
export const LOGIN_ERROR_MESSAGES: Record<string, { title: string; description: string }> = {
  "compte-inconnu": {
    title: "Aucun compte Vigie pour cette adresse",
    description:
      "ProConnect vous a bien identifié, mais aucun compte Vigie actif ne correspond à votre adresse électronique. Demandez une invitation à l'administrateur de votre académie ou de votre région académique.",
  },
  "session-expiree": {
    title: "La connexion a expiré",
    description:
      "La connexion avec ProConnect a pris trop de temps ou a été ouverte dans un autre navigateur. Recommencez.",
  },
  "proconnect-annule": {
    title: "Connexion annulée",
    description:
      "Vous avez annulé la connexion avec ProConnect. Vous pouvez recommencer quand vous le souhaitez.",
  },
  "proconnect-echec": {
    title: "La connexion avec ProConnect a échoué",
    description:
      "ProConnect n'a pas confirmé votre identité. Réessayez, ou connectez-vous avec votre adresse électronique et votre mot de passe.",
  },
  "proconnect-indisponible": {
    title: "ProConnect est indisponible",
    description:
      "Le service ProConnect ne répond pas pour le moment. Réessayez plus tard, ou connectez-vous avec votre adresse électronique et votre mot de passe.",
  },
};

const UNKNOWN_ERROR = {
  title: "La connexion a échoué",
  description: "La connexion n'a pas abouti. Réessayez.",
};

/** Only paths of this site: `?retour=https://ailleurs` must not send people elsewhere. */
export function safeReturnPath(value: string | null): string {
  if (value?.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\")) return value;
  return "/mon-compte";
}

const EMAIL_ID = "connexion-adresse";
const PASSWORD_ID = "connexion-mot-de-passe";

/** `/connexion`: ProConnect when configured, e-mail and password otherwise (or as well). */
export function LoginPage() {
  usePageTitle("Connexion");
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const sessionChanged = useSessionChanged();
  const providers = useQuery({
    queryKey: identityKeys.providers,
    queryFn: identityApi.providers,
    staleTime: Infinity,
  });
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const returnTo = safeReturnPath(params.get("retour"));
  const login = useMutation({
    mutationFn: () => identityApi.login(email, password),
    onSuccess: async (answer) => {
      await sessionChanged(answer);
      navigate(returnTo);
    },
  });

  const providerError = params.get("erreur");
  const providerMessage = providerError ? (LOGIN_ERROR_MESSAGES[providerError] ?? UNKNOWN_ERROR) : null;

  // Already signed in (a bookmark, the back button): nothing to do here.
  if (session.user && !login.isPending && !login.isSuccess) return <Navigate to={returnTo} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (email.trim() === "") {
      errors.push({
        fieldId: EMAIL_ID,
        label: "Adresse électronique",
        message: "saisissez votre adresse électronique.",
      });
    }
    if (password === "") {
      errors.push({ fieldId: PASSWORD_ID, label: "Mot de passe", message: "saisissez votre mot de passe." });
    }
    setFieldErrors(errors);
    setSubmits((n) => n + 1);
    login.reset();
    if (errors.length === 0) login.mutate();
  };

  const fieldError = (id: string) => fieldErrors.find((e) => e.fieldId === id);
  const serverError = login.isError ? errorMessage(login.error) : null;
  // 401: the pair e-mail / password is wrong (which of the two, the server does not say).
  const credentialsRefused = login.error instanceof ApiError && login.error.status === 401;
  const emailError = fieldError(EMAIL_ID);
  const passwordError = fieldError(PASSWORD_ID);

  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel="Connexion" />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-9", "fr-col-lg-7")}>
          <h1>Se connecter à Vigie</h1>
          {providerMessage ? (
            <Alert
              className={fr.cx("fr-mb-4w")}
              severity="error"
              title={providerMessage.title}
              description={providerMessage.description}
            />
          ) : null}
          {providers.data?.proconnect ? (
            <section aria-labelledby="connexion-proconnect-titre" className={fr.cx("fr-mb-4w")}>
              <h2 id="connexion-proconnect-titre" className={fr.cx("fr-h5")}>
                Agents de l'État : avec ProConnect
              </h2>
              <ProConnectButton url="/api/v1/auth/proconnect/login" />
              <p className={fr.cx("fr-hr-or", "fr-mt-4w")}>ou</p>
            </section>
          ) : null}
          <form onSubmit={submit} noValidate>
            <h2 id="connexion-formulaire-titre" className={fr.cx("fr-h5")}>
              Avec votre adresse électronique et votre mot de passe
            </h2>
            <FormErrorSummary
              title={serverError ? "La connexion a échoué" : "Le formulaire contient des erreurs"}
              errors={
                credentialsRefused
                  ? [
                      {
                        fieldId: EMAIL_ID,
                        label: "Adresse électronique",
                        message: "vérifiez-la, ainsi que le mot de passe.",
                      },
                    ]
                  : serverError
                    ? []
                    : fieldErrors
              }
              general={serverError}
              focusKey={submits}
            />
            <p className={fr.cx("fr-text--sm")}>Tous les champs sont obligatoires.</p>
            <Input
              label="Adresse électronique"
              hintText="Format attendu : nom@domaine.fr"
              state={emailError || credentialsRefused ? "error" : "default"}
              stateRelatedMessage={
                emailError
                  ? "Saisissez votre adresse électronique."
                  : credentialsRefused
                    ? "Adresse électronique ou mot de passe incorrect."
                    : undefined
              }
              nativeInputProps={{
                id: EMAIL_ID,
                type: "email",
                name: "email",
                autoComplete: "username",
                required: true,
                value: email,
                onChange: (event) => setEmail(event.target.value),
              }}
            />
            <PasswordInput
              label="Mot de passe"
              messagesHint=""
              messages={
                passwordError ? [{ severity: "error", message: "Saisissez votre mot de passe." }] : []
              }
              nativeInputProps={{
                id: PASSWORD_ID,
                name: "password",
                autoComplete: "current-password",
                required: true,
                value: password,
                "aria-invalid": passwordError || credentialsRefused ? true : undefined,
                onChange: (event) => setPassword(event.target.value),
              }}
            />
            <p className={fr.cx("fr-mt-2w")}>
              <Link className={fr.cx("fr-link")} to="/mot-de-passe-oublie">
                Mot de passe oublié ?
              </Link>
            </p>
            <Button type="submit" disabled={login.isPending}>
              Se connecter
            </Button>
            <p role="status" className={fr.cx("fr-mt-2w")}>
              {login.isPending ? "Connexion en cours…" : null}
            </p>
          </form>
          <p className={fr.cx("fr-text--sm", "fr-mt-4w")}>
            Pas encore de compte ? Les comptes Vigie sont créés sur invitation : demandez-en une à
            l'administrateur de votre académie ou de votre région académique.
          </p>
        </div>
      </div>
    </>
  );
}
