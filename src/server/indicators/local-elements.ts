import type { Kysely } from "kysely";
import type { FormDataElement, LocalDataElementInput } from "../../contracts/data-element-model.ts";
import type { DataElement } from "../../contracts/roadmaps.ts";
import { type Actor, conflict, type Database, invalid, recordAudit } from "../platform/index.ts";
import { getCatalogue, getFileCatalogue, loadLocalDataElements } from "./catalogue.ts";
import { formatNumber, valueRule } from "./domain/bounds.ts";

/**
 * The data elements a DANE defines for her collection forms (issue 11, point 1): school-level,
 * last value of the period, summed over a territory for a count, averaged for a percentage or a
 * yes/no (the share of schools). Stored in `data_element` (`origin = 'local'`), then part of
 * `getCatalogue()` for this process at once, and for the others at their next start (app.ts and
 * the CLI read them: `loadLocalDataElements`). A form field that names one feeds the
 * observatory like a catalogue element: same bounds at every write, same roll-up.
 */

type Db = Kysely<Database>;

const SOURCE_SYSTEM = "Formulaire de collecte (élément défini par une DANE)";

/** The catalogue element the input would become: checked, with the aggregation its type implies. */
export function localElementOf(input: LocalDataElementInput): DataElement {
  const counts = input.valueType === "integer" || input.valueType === "number";
  return {
    code: input.code,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    valueType: input.valueType,
    ...(input.unit ? { unit: input.unit } : {}),
    ...(input.min !== undefined ? { min: input.min } : {}),
    ...(input.max !== undefined ? { max: input.max } : {}),
    collectedAt: "school",
    aggregation: { time: "last", territory: counts ? "sum" : "average" },
    additive: counts,
    zeroIsSignificant: true,
    disaggregations: [],
    sourceSystems: [SOURCE_SYSTEM],
  };
}

/** What is wrong with the bounds, in French naming the element; [] = fine. */
export function localElementProblems(input: LocalDataElementInput): string[] {
  const problems: string[] = [];
  const name = `« ${input.name} »`;
  if (input.valueType === "boolean" && (input.min !== undefined || input.max !== undefined))
    problems.push(`${name} : un élément oui / non n'a pas de bornes (ses valeurs sont 0 ou 1)`);
  if (input.min !== undefined && input.max !== undefined && input.min > input.max)
    problems.push(
      `${name} : minimum ${formatNumber(input.min)} supérieur au maximum ${formatNumber(input.max)}`,
    );
  if (input.valueType === "percentage")
    for (const [bound, value] of [
      ["minimum", input.min],
      ["maximum", input.max],
    ] as const)
      if (value !== undefined && (value < 0 || value > 100))
        problems.push(`${name} : un pourcentage va de 0 à 100 (${bound} ${formatNumber(value)})`);
  for (const [bound, value] of [
    ["minimum", input.min],
    ["maximum", input.max],
  ] as const)
    if (value !== undefined && Math.abs(value) > 1e12)
      problems.push(`${name} : ${bound} ${formatNumber(value)} hors de ±1 000 000 000 000`);
  return problems;
}

/**
 * Defines a local data element (audit `indicators.data_element.defined`). A code of the catalogue
 * file or of another local element is refused (409, French), as are inconsistent bounds (400).
 */
export async function defineLocalDataElement(
  db: Db,
  input: LocalDataElementInput,
  actor: Actor,
): Promise<FormDataElement> {
  const problems = localElementProblems(input);
  if (problems.length > 0)
    throw invalid(`Élément de donnée refusé : ${problems.join(" ; ")}.`, "invalid_data_element", {
      problems,
    });
  const file = (await getFileCatalogue()).dataElements.find((e) => e.code === input.code);
  if (file)
    throw conflict(
      `Le code « ${input.code} » est déjà celui d'un élément du catalogue (« ${file.name} ») : choisissez-en un autre, ou utilisez cet élément.`,
      "data_element_exists",
    );
  const element = localElementOf(input);
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("data_element")
      .values({
        code: element.code,
        name: element.name,
        value_type: element.valueType,
        collected_at: element.collectedAt,
        time_aggregation: element.aggregation.time,
        territory_aggregation: element.aggregation.territory,
        additive: element.additive,
        definition: JSON.stringify(element),
        origin: "local",
        defined_by: actor.label,
        defined_at: new Date(),
      })
      .onConflict((oc) => oc.column("code").doNothing())
      .returning("code")
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx
        .selectFrom("data_element")
        .select(["name", "defined_by"])
        .where("code", "=", element.code)
        .executeTakeFirstOrThrow();
      throw conflict(
        `Le code « ${element.code} » est déjà celui de l'élément de donnée « ${existing.name} »${existing.defined_by ? ` (défini par ${existing.defined_by})` : ""} : choisissez-en un autre, ou utilisez cet élément.`,
        "data_element_exists",
      );
    }
    await recordAudit(trx, actor, {
      action: "indicators.data_element.defined",
      entityType: "data_element",
      entityId: element.code,
      summary: { name: element.name, valueType: element.valueType, min: input.min, max: input.max },
    });
  });
  await loadLocalDataElements(db);
  return formDataElementOf(element, "local");
}

/**
 * The elements a form field may feed: collected at school level, numeric or yes/no, from the
 * file or defined locally (read again from the database, so that another instance's are seen).
 */
export async function formDataElements(db: Db): Promise<FormDataElement[]> {
  const local = new Set((await loadLocalDataElements(db)).map((e) => e.code));
  const catalogue = await getCatalogue();
  return [...catalogue.elements.values()]
    .filter((e) => e.collectedAt === "school")
    .map((e) => formDataElementOf(e, local.has(e.code) ? "local" : "catalogue"));
}

function formDataElementOf(e: DataElement, origin: FormDataElement["origin"]): FormDataElement {
  const rule = valueRule(e);
  return {
    code: e.code,
    name: e.name,
    valueType: e.valueType,
    unit: e.unit ?? null,
    min: e.valueType === "boolean" ? null : rule.min,
    max: e.valueType === "boolean" ? null : (e.max ?? (e.valueType === "percentage" ? 100 : null)),
    origin,
    disaggregations: e.disaggregations,
  };
}
