import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput, type PasswordInputProps } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../api.ts";
import { errorMessage } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { identityApi } from "./identity-api.ts";
import { useSessionChanged } from "./useSession.ts";

/** The password rules of the server (passwords.ts), checked as people type; the server has the last word. */
export const PASSWORD_RULES: readonly { label: string; test: (password: string) => boolean }[] = [
  { label: "12 caractères au minimum", test: (p) => [...p].length >= 12 },
  {
    label: "au moins 3 types de caractères parmi : minuscules, majuscules, chiffres, caractères spéciaux",
    test: (p) =>
      [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((kind) => kind.test(p)).length >= 3,
  },
];
const OTHER_RULES =
  "Il ne doit contenir ni l'identifiant de votre adresse électronique, ni un mot trop courant (« azerty », « motdepasse »…).";

const PASSWORD_ID = "nouveau-mot-de-passe";

const MODES = {
  activation: {
    title: "Activer mon compte",
    intro: "Bienvenue dans Vigie. Choisissez le mot de passe de votre compte pour l'activer.",
    submit: "Activer mon compte",
    done: "Votre compte est activé et vous êtes connecté.",
  },
  reset: {
    title: "Choisir un nouveau mot de passe",
    intro: "Choisissez le nouveau mot de passe de votre compte. Vos autres sessions seront fermées.",
    submit: "Enregistrer le mot de passe",
    done: "Votre mot de passe est changé et vous êtes connecté.",
  },
} as const;

/** `/activation?jeton=…` (invitation) and `/reinitialisation?jeton=…` (reset): choose a password. */
export function SetPasswordPage({ mode }: { mode: keyof typeof MODES }) {
  const text = MODES[mode];
  usePageTitle(text.title);
  const [params] = useSearchParams();
  const token = params.get("jeton") ?? "";
  const navigate = useNavigate();
  const sessionChanged = useSessionChanged();
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState(false);
  const [submits, setSubmits] = useState(0);
  const save = useMutation({
    mutationFn: () => identityApi.setPassword(token, password),
    onSuccess: async (answer) => {
      await sessionChanged(answer);
      navigate("/mon-compte", { state: { flash: text.done } });
    },
  });

  const serverProblems =
    save.error instanceof ApiError && save.error.code === "weak_password"
      ? ((save.error.body as { problems?: string[] } | undefined)?.problems ?? [])
      : [];
  const tokenRefused = save.error instanceof ApiError && save.error.code === "invalid_token";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmits((n) => n + 1);
    save.reset();
    if (password === "") {
      setMissing(true);
      return;
    }
    setMissing(false);
    save.mutate();
  };

  const messages: PasswordInputProps["messages"] = [
    ...PASSWORD_RULES.map((rule) => ({
      severity: (rule.test(password) ? "valid" : "info") as PasswordInputProps.Severity,
      message: rule.label,
    })),
    ...(missing ? [{ severity: "error" as const, message: "Saisissez un mot de passe." }] : []),
    ...serverProblems.map((problem) => ({ severity: "error" as const, message: problem })),
  ];

  const heading = (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel={text.title} />
      <h1>{text.title}</h1>
    </>
  );

  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
    return (
      <>
        {heading}
        <Alert
          severity="error"
          title="Lien incomplet"
          description="Ce lien ne contient pas de jeton valide. Copiez l'adresse complète depuis le courriel reçu, ou demandez un nouveau lien."
        />
        <p className={fr.cx("fr-mt-4w")}>
          <Link className={fr.cx("fr-link")} to="/mot-de-passe-oublie">
            Demander un nouveau lien
          </Link>
        </p>
      </>
    );
  }

  return (
    <>
      {heading}
      <div className={fr.cx("fr-grid-row")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-9", "fr-col-lg-7")}>
          <p>{text.intro}</p>
          <FormErrorSummary
            title={tokenRefused ? "Ce lien ne peut pas servir" : "Le mot de passe ne convient pas"}
            errors={
              missing
                ? [{ fieldId: PASSWORD_ID, label: "Mot de passe", message: "saisissez un mot de passe." }]
                : serverProblems.length > 0
                  ? [
                      {
                        fieldId: PASSWORD_ID,
                        label: "Mot de passe",
                        message: "il ne respecte pas toutes les règles.",
                      },
                    ]
                  : []
            }
            general={save.isError ? errorMessage(save.error) : null}
            focusKey={submits}
          />
          {tokenRefused ? (
            <p>
              <Link className={fr.cx("fr-link")} to="/mot-de-passe-oublie">
                Demander un nouveau lien
              </Link>
            </p>
          ) : null}
          <form onSubmit={submit} noValidate>
            <PasswordInput
              label="Mot de passe"
              hintText={OTHER_RULES}
              messagesHint="Votre mot de passe doit contenir :"
              messages={messages}
              nativeInputProps={{
                id: PASSWORD_ID,
                name: "password",
                autoComplete: "new-password",
                required: true,
                value: password,
                "aria-invalid": missing || serverProblems.length > 0 ? true : undefined,
                onChange: (event) => setPassword(event.target.value),
              }}
            />
            <Button className={fr.cx("fr-mt-3w")} type="submit" disabled={save.isPending}>
              {text.submit}
            </Button>
            <p role="status" className={fr.cx("fr-mt-2w")}>
              {save.isPending ? "Enregistrement en cours…" : null}
            </p>
          </form>
        </div>
      </div>
    </>
  );
}
