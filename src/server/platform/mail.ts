import type { Transporter } from "nodemailer";
import type { Config } from "./config.ts";

/** One e-mail, in French, as plain text and as simple HTML. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * What became of a message: `sent` (accepted by the SMTP server), `logged` (no SMTP server is
 * configured: the text is in the server log, nobody received it), `failed` (the SMTP server
 * refused it or could not be reached).
 */
export type MailDelivery = "sent" | "logged" | "failed";

/** The part of a pino / Fastify logger the mailer uses. */
export interface MailLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Mailer {
  send(message: MailMessage, log: MailLogger): Promise<MailDelivery>;
  close(): void;
}

/**
 * The mailer of the configuration. Without `SMTP_HOST` (the laptop default) nothing is sent: the
 * message, link included, goes to the log at info level with a note saying so, because that is the
 * only way the person running Vigie can pass an invitation on. This is the single place where a
 * link carrying a token may reach the log.
 */
export function createMailer(config: Pick<Config, "smtp" | "mailFrom">): Mailer {
  const { smtp } = config;
  if (!smtp) {
    return {
      async send(message, log) {
        log.info(
          { mail: { to: message.to, subject: message.subject, text: message.text } },
          "Aucun serveur SMTP n'est configuré (SMTP_HOST) : ce courriel n'a PAS été envoyé. " +
            "Son texte, lien compris, figure ci-dessous pour être transmis à la main à son destinataire.",
        );
        return "logged";
      },
      close() {},
    };
  }
  // Loaded at the first message (≈ 15 MB of memory): most commands and many servers send none.
  let transport: Promise<Transporter> | null = null;
  const open = async () => {
    const nodemailer = (await import("nodemailer")).default;
    return nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? "" } : undefined,
      // A mail server that does not answer must not hold an HTTP request for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  };
  return {
    async send(message, log) {
      try {
        transport ??= open();
        await (await transport).sendMail({ from: config.mailFrom, ...message });
        log.info({ mail: { to: message.to, subject: message.subject } }, "courriel envoyé");
        return "sent";
      } catch (err) {
        // The error of the SMTP client never contains the message body, so no token leaks here.
        log.error(
          { mail: { to: message.to, subject: message.subject }, err },
          "échec de l'envoi d'un courriel",
        );
        return "failed";
      }
    },
    close() {
      void transport?.then((t) => t.close());
    },
  };
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * Builds a message from paragraphs and one call-to-action link: the plain text shows the link on
 * its own line (mail clients make it clickable), the HTML is deliberately plain (no images, no
 * tracking, readable without styles).
 */
export function composeMail(input: {
  to: string;
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  closing: string[];
}): MailMessage {
  const { action } = input;
  const text = [
    input.greeting,
    "",
    ...input.paragraphs.flatMap((paragraph) => [paragraph, ""]),
    ...(action ? [`${action.label} :`, action.url, ""] : []),
    ...input.closing,
    "",
    "-- ",
    "Vigie, piloter le numérique éducatif par les données",
  ].join("\n");
  const html = [
    "<!DOCTYPE html>",
    '<html lang="fr"><head><meta charset="utf-8"><title>',
    escapeHtml(input.subject),
    "</title></head><body>",
    `<p>${escapeHtml(input.greeting)}</p>`,
    ...input.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(action
      ? [
          `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`,
          `<p>Si le lien ne s'ouvre pas, copiez cette adresse dans votre navigateur :<br>${escapeHtml(action.url)}</p>`,
        ]
      : []),
    ...input.closing.map((line) => `<p>${escapeHtml(line)}</p>`),
    "<p>-- <br>Vigie, piloter le numérique éducatif par les données</p>",
    "</body></html>",
  ].join("\n");
  return { to: input.to, subject: input.subject, text, html };
}
