import { composeMail, type MailMessage } from "../../platform/index.ts";

/** Pages of the web app that read the `jeton` and ask for the new password. */
export const ACTIVATION_PATH = "/activation";
export const RESET_PATH = "/reinitialisation";

export function tokenLink(publicUrl: string, path: string, token: string): string {
  return `${publicUrl}${path}?jeton=${encodeURIComponent(token)}`;
}

const SIGNATURE = ["Bonne journée,", "L'équipe Vigie"];

/** Invitation of a new account: the link lets the person choose a password. */
export function invitationMail(input: {
  to: string;
  link: string;
  roleLabel: string;
  territoryLabel: string;
  invitedBy: string;
  validDays: number;
}): MailMessage {
  return composeMail({
    to: input.to,
    subject: "Invitation à rejoindre Vigie",
    greeting: "Bonjour,",
    paragraphs: [
      `${input.invitedBy} vous invite à rejoindre Vigie, l'outil de pilotage du numérique éducatif, avec le rôle « ${input.roleLabel} » sur ${input.territoryLabel}.`,
      `Pour activer votre compte, choisissez votre mot de passe en suivant le lien ci-dessous. Il est valable ${input.validDays} jours et ne sert qu'une fois.`,
      "Si vous êtes agent de l'État, vous pourrez aussi vous connecter avec ProConnect, avec cette même adresse électronique.",
      "Si vous n'attendiez pas cette invitation, ignorez ce message : aucun compte ne sera activé.",
    ],
    action: { label: "Activer mon compte", url: input.link },
    closing: SIGNATURE,
  });
}

/** A role granted to someone who already has an active account: no link, nothing to activate. */
export function roleGrantedMail(input: {
  to: string;
  loginUrl: string;
  roleLabel: string;
  territoryLabel: string;
  invitedBy: string;
}): MailMessage {
  return composeMail({
    to: input.to,
    subject: "Un nouveau rôle vous est attribué dans Vigie",
    greeting: "Bonjour,",
    paragraphs: [
      `${input.invitedBy} vous a attribué le rôle « ${input.roleLabel} » sur ${input.territoryLabel} dans Vigie.`,
      "Il est actif dès votre prochaine connexion, avec votre compte habituel.",
    ],
    action: { label: "Se connecter à Vigie", url: input.loginUrl },
    closing: SIGNATURE,
  });
}

/** Password reset: sent only to an active account, the link lasts an hour. */
export function passwordResetMail(input: { to: string; link: string; validMinutes: number }): MailMessage {
  return composeMail({
    to: input.to,
    subject: "Réinitialisation de votre mot de passe Vigie",
    greeting: "Bonjour,",
    paragraphs: [
      "Une demande de réinitialisation du mot de passe de votre compte Vigie a été faite.",
      `Pour choisir un nouveau mot de passe, suivez le lien ci-dessous. Il est valable ${input.validMinutes} minutes et ne sert qu'une fois.`,
      "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.",
    ],
    action: { label: "Choisir un nouveau mot de passe", url: input.link },
    closing: SIGNATURE,
  });
}
