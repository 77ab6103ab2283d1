import type { ImportMapping } from "../../../contracts/import-mapping.ts";
import { type Catalogue, checkValue, parsePeriod, valueRule } from "../../indicators/index.ts";
import type { GenericRules } from "../profiles/generic.ts";

/**
 * The catalogue's rules as the generic profile asks for them: a value's type and bounds, a
 * period's syntax. The same checks as every other write, row by row, so that a rejection names
 * the line and the column rather than failing the whole commit.
 */
export function catalogueRules(catalogue: Catalogue): GenericRules {
  return {
    checkValue(dataElement, value) {
      const element = catalogue.elements.get(dataElement);
      if (!element) return `élément de donnée inconnu « ${dataElement} »`;
      const check = checkValue(dataElement, valueRule(element), value);
      return check.ok ? null : check.reason;
    },
    checkPeriod(period) {
      const parsed = parsePeriod(period);
      return parsed.ok ? null : parsed.reason;
    },
  };
}

/**
 * What a mapping asks that the catalogue does not have, in French, one sentence per problem:
 * an unknown data element, a breakdown the element does not have, an option the breakdown does
 * not have. Empty when the mapping can be saved.
 */
export function mappingProblems(mapping: ImportMapping, catalogue: Catalogue): string[] {
  const problems: string[] = [];
  const options = (code: string) =>
    new Set(catalogue.raw.disaggregations.find((d) => d.code === code)?.options.map((o) => o.code) ?? []);
  const checkBreakdown = (column: string, element: string, code: string, option: string | null) => {
    const def = catalogue.elements.get(element);
    if (!def) return;
    if (!def.disaggregations.includes(code))
      problems.push(`Colonne « ${column} » : l'élément « ${element} » n'a pas la ventilation « ${code} ».`);
    else if (option !== null && !options(code).has(option))
      problems.push(`Colonne « ${column} » : la ventilation « ${code} » n'a pas d'option « ${option} ».`);
  };
  for (const c of mapping.columns) {
    if (!catalogue.elements.has(c.dataElement)) {
      problems.push(`Colonne « ${c.column} » : élément de donnée inconnu « ${c.dataElement} ».`);
      continue;
    }
    for (const [code, option] of Object.entries(c.disaggregation))
      checkBreakdown(c.column, c.dataElement, code, option);
    if (mapping.breakdown) {
      const b = mapping.breakdown;
      checkBreakdown(b.column, c.dataElement, b.disaggregation, null);
      for (const option of new Set(Object.values(b.options)))
        checkBreakdown(b.column, c.dataElement, b.disaggregation, option);
    }
  }
  if ("fixed" in mapping.period) {
    const parsed = parsePeriod(mapping.period.fixed);
    if (!parsed.ok) problems.push(`Période : ${parsed.reason}.`);
  }
  return [...new Set(problems)];
}
