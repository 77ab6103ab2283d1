import type { Command } from "commander";
import type { UsageToken, UsageTokenCreated } from "../../../contracts/usage.ts";
import { CLI_ACTOR, type CliContext, printLine } from "../../platform/index.ts";
import { createUsageToken, listUsageTokens, revokeUsageToken } from "./tokens.ts";

/** `vigie usage token create|list|revoke`: the national administrator's provider tokens. */
export function registerUsageCommands(program: Command, ctx: CliContext): void {
  const usage = program
    .command("usage")
    .description("statistiques d'usage des ENT : jetons des fournisseurs");
  const token = usage.command("token").description("jetons de l'API d'usage (POST /api/v1/usage/batches)");
  token
    .command("create")
    .description("créer le jeton d'un fournisseur, limité à des territoires (affiché cette seule fois)")
    .requiredOption("--provider <nom>", "nom du fournisseur (ENT, éditeur de ressources)")
    .requiredOption(
      "--territory <territoire...>",
      "territoires couverts : FR, academy:04, department:33, un UAI…",
    )
    .option("--json", "résultat en JSON")
    .action(async (opts: { provider: string; territory: string[]; json?: boolean }) => {
      const created = await ctx.withDatabase((h) =>
        createUsageToken(h.db, { provider: opts.provider, territories: opts.territory }, CLI_ACTOR),
      );
      printLine(ctx, opts.json ? JSON.stringify(created, null, 2) : formatCreated(created));
    });
  token
    .command("list")
    .description("lister les jetons (sans le jeton lui-même)")
    .option("--json", "résultat en JSON")
    .action(async (opts: { json?: boolean }) => {
      const tokens = await ctx.withDatabase((h) => listUsageTokens(h.db));
      printLine(ctx, opts.json ? JSON.stringify(tokens, null, 2) : formatList(tokens));
    });
  token
    .command("revoke")
    .description("révoquer un jeton : les envois suivants du fournisseur reçoivent 401")
    .argument("<id>", "numéro du jeton (vigie usage token list)")
    .option("--json", "résultat en JSON")
    .action(async (id: string, opts: { json?: boolean }) => {
      const revoked = await ctx.withDatabase((h) => revokeUsageToken(h.db, id, CLI_ACTOR));
      printLine(
        ctx,
        opts.json ? JSON.stringify(revoked, null, 2) : `Jeton ${revoked.id} (${revoked.provider}) révoqué.`,
      );
    });
}

function formatCreated(t: UsageTokenCreated): string {
  return [
    `Jeton ${t.id} créé pour ${t.provider} (${t.territories.join(", ")}).`,
    `Jeton (affiché cette seule fois, à remettre au fournisseur) : ${t.token}`,
    "Envoi : POST /api/v1/usage/batches avec l'en-tête « Authorization: Bearer <jeton> ».",
  ].join("\n");
}

function formatList(tokens: readonly UsageToken[]): string {
  if (tokens.length === 0) return "Aucun jeton.";
  return tokens
    .map(
      (t) =>
        `${t.id}\t${t.provider}\t${t.territories.join(", ")}\t${t.revokedAt ? `révoqué le ${t.revokedAt.slice(0, 10)}` : "actif"}\tdernier envoi : ${t.lastUsedAt?.slice(0, 10) ?? "aucun"}`,
    )
    .join("\n");
}
