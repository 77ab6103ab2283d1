import type { Command } from "commander";
import type { CampaignStatus, CampaignSummary, CampaignTemplate } from "../../contracts/collection.ts";
import { CLI_ACTOR, type CliContext, printLine } from "../platform/index.ts";
import { createCampaign } from "./campaigns.ts";
import { registerFormCommands } from "./form-commands.ts";
import { listCampaigns } from "./listing.ts";
import { registerRemindCommand } from "./reminder-commands.ts";
import { summarizeTemplate } from "./routes.ts";
import { campaignStatus } from "./status.ts";

/** `vigie campaign templates|list|create|status|remind|form` (docs/collection.md). */
export function registerCampaignCommands(
  program: Command,
  ctx: CliContext,
  templates: () => Promise<CampaignTemplate[]>,
): void {
  const campaign = program.command("campaign").description("campagnes de collecte auprès des établissements");
  campaign
    .command("templates")
    .description("modèles de campagne livrés avec Vigie")
    .option("--json", "résultat en JSON")
    .action(async (opts: { json?: boolean }) => {
      const items = (await templates()).map(summarizeTemplate);
      printLine(
        ctx,
        opts.json
          ? JSON.stringify(items, null, 2)
          : items.map((t) => `${t.code}\t${t.title}\t${t.fields} champs, ${t.rules} règles`).join("\n"),
      );
    });
  campaign
    .command("list")
    .description("campagnes créées, avec leur avancement")
    .option("--json", "résultat en JSON")
    .action(async (opts: { json?: boolean }) => {
      const items = await ctx.withDatabase((h) => listCampaigns(h.db, "cli"));
      printLine(ctx, opts.json ? JSON.stringify(items, null, 2) : formatList(items));
    });
  campaign
    .command("create")
    .description(
      "lancer une campagne à partir d'un modèle ou d'un formulaire enregistré, pour un territoire et une période",
    )
    .option("--template <code>", "modèle (vigie campaign templates)")
    .option("--form <code>", "formulaire enregistré, sa dernière version (vigie campaign form list)")
    .requiredOption("--territory <territoire>", "territoire interrogé : academy:14, department:033, FR…")
    .requiredOption("--period <période>", "période des réponses : 2025-2026 (année scolaire) ou 2025")
    .option("--opens <date>", "ouverture (AAAA-MM-JJ, aujourd'hui par défaut)")
    .option("--closes <date>", "clôture (AAAA-MM-JJ, dans quatre semaines par défaut)")
    .option("--json", "résultat en JSON")
    .action(
      async (opts: {
        template?: string;
        form?: string;
        territory: string;
        period: string;
        opens?: string;
        closes?: string;
        json?: boolean;
      }) => {
        const list = await templates();
        const created = await ctx.withDatabase((h) =>
          createCampaign(
            h.db,
            list,
            {
              ...(opts.template ? { template: opts.template } : {}),
              ...(opts.form ? { form: opts.form } : {}),
              period: opts.period,
              target: { territory: opts.territory },
              ...(opts.opens ? { opensOn: opts.opens } : {}),
              ...(opts.closes ? { closesOn: opts.closes } : {}),
            },
            "cli",
            CLI_ACTOR,
          ),
        );
        printLine(
          ctx,
          opts.json
            ? JSON.stringify(created, null, 2)
            : `Campagne ${created.id} « ${created.title} » créée : ${created.expected} établissements interrogés (${created.territoryLabel}), du ${created.opensOn} au ${created.closesOn}.`,
        );
      },
    );
  campaign
    .command("status")
    .description("complétude d'une campagne par territoire")
    .argument("<id>", "numéro de la campagne (vigie campaign list)")
    .option("--territory <territoire>", "territoire détaillé (celui de la campagne par défaut)")
    .option("--json", "résultat en JSON")
    .action(async (id: string, opts: { territory?: string; json?: boolean }) => {
      const status = await ctx.withDatabase((h) => campaignStatus(h.db, "cli", id, opts.territory));
      printLine(ctx, opts.json ? JSON.stringify(status, null, 2) : formatStatus(status));
    });
  registerRemindCommand(campaign, ctx);
  registerFormCommands(campaign, ctx, templates);
}

function formatList(items: readonly CampaignSummary[]): string {
  if (items.length === 0) return "Aucune campagne.";
  return items
    .map(
      (c) =>
        `${c.id}\t${c.title}\t${c.territoryLabel}\t${c.opensOn} → ${c.closesOn}\t${c.submitted}/${c.expected} transmis`,
    )
    .join("\n");
}

const percent = (n: number, d: number) => (d > 0 ? `${Math.round((n / d) * 100)} %` : "—");

function formatStatus(s: CampaignStatus): string {
  const line = (r: CampaignStatus["total"]) =>
    `${r.label}\t${r.submitted}/${r.expected} transmis (${percent(r.submitted, r.expected)})\t${r.approved} validés\t${r.onTime} à temps\tchamps renseignés ${Math.round(r.fieldsAnswered * 100)} %`;
  return [
    `Campagne ${s.campaign.id} « ${s.campaign.title} » — ${s.territory.label}`,
    ...s.rows.map(line),
    `Total : ${line(s.total)}`,
  ].join("\n");
}
