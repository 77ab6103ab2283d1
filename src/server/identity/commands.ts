import { type Command, Option } from "commander";
import { CLI_ACTOR, type CliContext, printLine } from "../platform/index.ts";
import { ROLES } from "./permissions.ts";
import { formatPurgeReport, purgeExpiredData } from "./personal-data/retention.ts";
import {
  changeRoleFromCli,
  createUserFromCli,
  disableUserFromCli,
  formatCreatedUser,
  formatUserList,
  listUsersForCli,
} from "./users/cli-users.ts";

const roleOption = () => new Option("--role <rôle>", "rôle").choices(ROLES).makeOptionMandatory();
const territoryOption = () =>
  new Option(
    "--territory <territoire>",
    "territoire du rôle : FR, code seul ou niveau:code",
  ).makeOptionMandatory();
const emailOption = () =>
  new Option("--email <adresse>", "adresse électronique du compte").makeOptionMandatory();

interface CreateOptions {
  email: string;
  role: string;
  territory: string;
  password?: string;
  givenName?: string;
  familyName?: string;
  json?: boolean;
}

/** `vigie user …` and `vigie purge`. */
export function registerIdentityCommands(program: Command, ctx: CliContext): void {
  const userCommand = program.command("user").description("gérer les comptes et leurs rôles");
  registerCreate(userCommand, ctx);
  userCommand
    .command("list")
    .description("lister les comptes et leurs rôles")
    .option("--json", "résultat en JSON")
    .action(async (opts: { json?: boolean }) => {
      const users = await ctx.withDatabase((h) => listUsersForCli(h.db));
      printLine(ctx, opts.json ? JSON.stringify(users, null, 2) : formatUserList(users));
    });
  for (const change of ["grant", "revoke"] as const) registerRoleChange(userCommand, ctx, change);
  registerDisable(userCommand, ctx);

  program
    .command("purge")
    .description("supprimer les données personnelles dont la durée de conservation est dépassée")
    .option("--json", "rapport en JSON")
    .action(async (opts: { json?: boolean }) => {
      const report = await ctx.withDatabase((h) => purgeExpiredData(h.db, { actor: CLI_ACTOR }));
      printLine(ctx, opts.json ? JSON.stringify(report) : formatPurgeReport(report));
    });
}

function registerCreate(userCommand: Command, ctx: CliContext): void {
  userCommand
    .command("create")
    .description(
      "créer un compte avec un rôle (sans --password : affiche un lien d'activation valable 7 jours)",
    )
    .addOption(emailOption())
    .addOption(roleOption())
    .addOption(territoryOption())
    .option(
      "--password <mot de passe>",
      "mot de passe (sinon, lien d'activation) ; attention à l'historique du shell",
    )
    .option("--given-name <prénom>", "prénom")
    .option("--family-name <nom>", "nom")
    .option("--json", "résultat en JSON")
    .action(async (opts: CreateOptions) => {
      const created = await ctx.withDatabase((h) =>
        createUserFromCli(h.db, { ...opts, publicUrl: ctx.config.publicUrl }),
      );
      printLine(ctx, opts.json ? JSON.stringify(created, null, 2) : formatCreatedUser(created));
    });
}

function registerRoleChange(userCommand: Command, ctx: CliContext, change: "grant" | "revoke"): void {
  userCommand
    .command(change)
    .description(change === "grant" ? "attribuer un rôle à un compte" : "retirer un rôle à un compte")
    .addOption(emailOption())
    .addOption(roleOption())
    .addOption(territoryOption())
    .option("--json", "résultat en JSON")
    .action(async (opts: { email: string; role: string; territory: string; json?: boolean }) => {
      const result = await ctx.withDatabase((h) => changeRoleFromCli(h.db, change, opts));
      const text = result.changed
        ? `${change === "grant" ? "Rôle attribué" : "Rôle retiré"} : ${result.role} sur ${result.territory} pour ${result.email}.`
        : `Rien à faire : ${result.email} ${change === "grant" ? "a déjà" : "n'a pas"} le rôle ${result.role} sur ${result.territory}.`;
      printLine(ctx, opts.json ? JSON.stringify(result) : text);
    });
}

function registerDisable(userCommand: Command, ctx: CliContext): void {
  userCommand
    .command("disable")
    .description("désactiver un compte (ses sessions et ses liens cessent de fonctionner)")
    .addOption(emailOption())
    .option("--json", "résultat en JSON")
    .action(async (opts: { email: string; json?: boolean }) => {
      const result = await ctx.withDatabase((h) => disableUserFromCli(h.db, opts.email));
      const text = result.changed
        ? `Compte désactivé : ${result.email}.`
        : `Le compte ${result.email} était déjà désactivé.`;
      printLine(ctx, opts.json ? JSON.stringify(result) : text);
    });
}
