import type { Command } from "commander";
import { stringify } from "yaml";
import type { CampaignTemplate } from "../../contracts/collection.ts";
import type { FormIssue, SavedFormSummary } from "../../contracts/collection-forms.ts";
import {
  AppError,
  CLI_ACTOR,
  type CliContext,
  CliUsageError,
  parseYaml,
  printLine,
  readUserFile,
  TemplateErrors,
} from "../platform/index.ts";
import { getForm, listForms, saveForm } from "./form-library.ts";

/**
 * `vigie campaign form list|show|save` (docs/collection.md, « Formulaires »): the forms a DANE
 * saves, from the command line. The same checks as the API (form-library.ts), each problem on its
 * own line with its path; a refusal exits with code 2. Through `ctx.withDatabase`, so that on an
 * embedded base held by a running server the command is run by the server (delegation, ADR 0008).
 */
export function registerFormCommands(
  campaign: Command,
  ctx: CliContext,
  templates: () => Promise<CampaignTemplate[]>,
): void {
  const form = campaign.command("form").description("formulaires de collecte enregistrés par les DANE");
  form
    .command("list")
    .description("formulaires enregistrés (dernière version) et modèles pour en commencer un")
    .option("--json", "résultat en JSON")
    .action(async (opts: { json?: boolean }) => {
      const list = await templates();
      const forms = await ctx.withDatabase((h) => listForms(h.db, "cli", list));
      printLine(ctx, opts.json ? JSON.stringify(forms, null, 2) : formatList(forms.items));
    });
  form
    .command("show")
    .description("définition d'un formulaire (YAML, ou JSON avec --json)")
    .argument("<code>", "code du formulaire (vigie campaign form list)")
    .option("--version <n>", "version (la dernière par défaut)")
    .option("--json", "résultat en JSON (avec la version, l'auteur, la date)")
    .action(async (code: string, opts: { version?: string; json?: boolean }) => {
      const version = opts.version === undefined ? undefined : Number(opts.version);
      if (version !== undefined && !(Number.isInteger(version) && version >= 1))
        throw new CliUsageError(`Version « ${opts.version} » invalide : un entier à partir de 1.`);
      const saved = await ctx.withDatabase((h) => getForm(h.db, "cli", code, version));
      printLine(
        ctx,
        opts.json
          ? JSON.stringify(saved, null, 2)
          : `# ${saved.code}, version ${saved.version} sur ${saved.versions} (${saved.savedBy}, ${saved.savedAt})\n${stringify(saved.definition).trimEnd()}`,
      );
    });
  form
    .command("save")
    .description("enregistrer un formulaire (une définition modifiée devient une nouvelle version)")
    .argument("<fichier>", "définition du formulaire, en YAML ou en JSON")
    .option(
      "--territory <territoire>",
      "territoire propriétaire d'un nouveau formulaire (la nation par défaut)",
    )
    .option("--json", "résultat en JSON")
    .action(async (file: string, opts: { territory?: string; json?: boolean }) => {
      const definition = readDefinition(ctx, file);
      const code = codeOf(definition, file);
      const list = await templates();
      const saved = await ctx
        .withDatabase((h) =>
          saveForm(h.db, list, "cli", CLI_ACTOR, code, {
            definition,
            ...(opts.territory ? { territory: opts.territory } : {}),
          }),
        )
        .catch(oneProblemALine);
      printLine(
        ctx,
        opts.json
          ? JSON.stringify(saved, null, 2)
          : saved.created
            ? `Formulaire « ${saved.code} » enregistré : version ${saved.version} (${saved.territoryLabel}).`
            : `Formulaire « ${saved.code} » inchangé : la version ${saved.version} reste la dernière.`,
      );
    });
}

function readDefinition(ctx: CliContext, file: string): unknown {
  const text = readUserFile(ctx, file).toString("utf8");
  try {
    // JSON is YAML: one reader for both, with its line and column on a syntax error.
    return parseYaml(text, file);
  } catch (error) {
    if (!(error instanceof TemplateErrors)) throw error;
    throw new CliUsageError(error.errors.map((e) => `${e.path} : ${e.reason}`).join(" ; "));
  }
}

function codeOf(definition: unknown, file: string): string {
  const code =
    definition && typeof definition === "object" ? (definition as { code?: unknown }).code : undefined;
  if (typeof code !== "string" || code.trim() === "")
    throw new CliUsageError(`Le fichier ${file} ne donne pas le code du formulaire (code: …).`);
  return code.trim();
}

/** The API's refusal lists its issues in `details.issues`; the terminal shows one a line. */
function oneProblemALine(error: unknown): never {
  if (!(error instanceof AppError) || error.code !== "invalid_form") throw error;
  const details = error.details as { issues?: FormIssue[] } | undefined;
  const issues = details?.issues ?? [];
  throw new AppError(
    400,
    "invalid_form",
    `Formulaire refusé (${issues.length} problème${issues.length > 1 ? "s" : ""}) : voir ci-dessous`,
    { details: issues.map((i) => (i.path ? `${i.path} : ${i.message}` : i.message)) },
  );
}

function formatList(items: readonly SavedFormSummary[]): string {
  if (items.length === 0)
    return "Aucun formulaire enregistré (vigie campaign templates : les modèles livrés).";
  return items
    .map((f) => {
      const older =
        f.activeCampaignsOnOlderVersion > 0
          ? `, dont ${f.activeCampaignsOnOlderVersion} sur une version précédente`
          : "";
      return `${f.code}\t${f.title}\tversion ${f.version}\t${f.territoryLabel}\t${f.fields} champs, ${f.rules} règles\t${f.activeCampaigns} campagne(s) en cours${older}`;
    })
    .join("\n");
}
