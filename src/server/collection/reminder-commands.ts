import type { Command } from "commander";
import type { ReminderReport } from "../../contracts/collection-reminders.ts";
import { type CliContext, createMailer, printError, printLine } from "../platform/index.ts";
import { campaignRow } from "./campaigns.ts";
import { sendReminders } from "./reminders.ts";

/**
 * `vigie campaign remind <id>`: the reminders of one campaign, at once (the manual kind, with the
 * same interval and count rules as the button of the campaign page). Sent from the command itself
 * with the configured mailer, the report at the end (the server's « send now » goes through the
 * `collection.reminders` job instead).
 */
export function registerRemindCommand(campaign: Command, ctx: CliContext): void {
  campaign
    .command("remind")
    .description("relancer tout de suite les établissements qui n'ont pas transmis leurs réponses")
    .argument("<id>", "numéro de la campagne (vigie campaign list)")
    .option("--json", "résultat en JSON")
    .action(async (id: string, opts: { json?: boolean }) => {
      const mailer = createMailer(ctx.config);
      try {
        const report = await ctx.withDatabase(async (h) => {
          await campaignRow(h.db, id);
          return sendReminders(
            h.db,
            {
              mailer,
              publicUrl: ctx.config.publicUrl,
              log: {
                info() {},
                error: (obj) =>
                  printError(ctx, `Relance refusée par le serveur de messagerie : ${recipientOf(obj)}`),
              },
            },
            { campaignId: id, kind: "manual" },
          );
        });
        printLine(
          ctx,
          opts.json ? JSON.stringify(report, null, 2) : formatReport(report, ctx.config.smtp !== undefined),
        );
      } finally {
        mailer.close();
      }
    });
}

function recipientOf(obj: object): string {
  return (obj as { mail?: { to?: string } }).mail?.to ?? "destinataire inconnu";
}

function formatReport(r: ReminderReport, smtp: boolean): string {
  if (r.campaigns === 0)
    return "Cette campagne ne prend pas de réponses aujourd'hui (pas encore ouverte, ou verrouillée) : aucune relance.";
  return [
    `Relances : ${r.schools} établissement${r.schools > 1 ? "s" : ""}, ${r.mails} courriel${r.mails > 1 ? "s" : ""}.`,
    `  écartés (intervalle minimal ou nombre maximal atteint) : ${r.held}`,
    `  sans répondant à qui écrire : ${r.withoutRecipient}`,
    `  envois refusés : ${r.failed}`,
    ...(smtp
      ? []
      : ["Aucun serveur SMTP n'est configuré (SMTP_HOST) : les courriels n'ont pas été envoyés."]),
  ].join("\n");
}
