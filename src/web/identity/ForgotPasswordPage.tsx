import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { identityApi } from "./identity-api.ts";

const EMAIL_ID = "oubli-adresse";

/** `/mot-de-passe-oublie`: asks for a reset link (the answer never tells whether the account exists). */
export function ForgotPasswordPage() {
  usePageTitle("Mot de passe oublié");
  const [email, setEmail] = useState("");
  const [missing, setMissing] = useState(false);
  const [submits, setSubmits] = useState(0);
  const sentRef = useRef<HTMLDivElement>(null);
  const send = useMutation({ mutationFn: () => identityApi.requestPasswordReset(email.trim()) });

  useEffect(() => {
    if (send.isSuccess) sentRef.current?.focus();
  }, [send.isSuccess]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmits((n) => n + 1);
    send.reset();
    if (email.trim() === "") {
      setMissing(true);
      return;
    }
    setMissing(false);
    send.mutate();
  };

  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Connexion", linkProps: { to: "/connexion" } }]}
        currentPageLabel="Mot de passe oublié"
      />
      <div className={fr.cx("fr-grid-row")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-9", "fr-col-lg-7")}>
          <h1>Mot de passe oublié</h1>
          {send.isSuccess ? (
            <div ref={sentRef} tabIndex={-1}>
              <Alert severity="success" title="Demande enregistrée" description={send.data.message} />
              <p className={fr.cx("fr-mt-4w")}>
                <Link className={fr.cx("fr-link")} to="/connexion">
                  Retour à la connexion
                </Link>
              </p>
            </div>
          ) : (
            <>
              <p>
                Saisissez l'adresse électronique de votre compte : vous recevrez un lien pour choisir un
                nouveau mot de passe. Si vous vous connectez avec ProConnect, vous n'avez pas de mot de passe
                Vigie à changer.
              </p>
              <FormErrorSummary
                errors={
                  missing
                    ? [
                        {
                          fieldId: EMAIL_ID,
                          label: "Adresse électronique",
                          message: "saisissez votre adresse électronique.",
                        },
                      ]
                    : []
                }
                general={send.isError ? errorMessage(send.error) : null}
                focusKey={submits}
              />
              <form onSubmit={submit} noValidate>
                <Input
                  label="Adresse électronique"
                  hintText="Format attendu : nom@domaine.fr"
                  state={missing ? "error" : "default"}
                  stateRelatedMessage={missing ? "Saisissez votre adresse électronique." : undefined}
                  nativeInputProps={{
                    id: EMAIL_ID,
                    type: "email",
                    name: "email",
                    autoComplete: "email",
                    required: true,
                    value: email,
                    onChange: (event) => setEmail(event.target.value),
                  }}
                />
                <Button type="submit" disabled={send.isPending}>
                  Recevoir un lien
                </Button>
              </form>
            </>
          )}
        </div>
      </div>
    </>
  );
}
