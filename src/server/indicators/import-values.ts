import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import {
  AppError,
  type CsvRecord,
  CsvTokenizer,
  codeCell,
  createDecoder,
  type Database,
  decimalCell,
  detectEncoding,
  detectSeparator,
} from "../platform/index.ts";
import { checkUai, findSchoolIds } from "../territories/index.ts";
import { disaggregationKey, ensureDataElements, parseDisaggregationKey } from "./catalogue.ts";
import { parsePeriod } from "./domain/periods.ts";
import { type SchoolValueInput, writeSchoolValues } from "./store.ts";

/**
 * Import of school values from a CSV file in long format — one line per school, data element,
 * period and disaggregation:
 *
 *     uai;element;periode;ventilation;valeur
 *     0330001A;computers;2024-2025;;112
 *     0330001A;ent_connections;2025-03;profile=pupil;4 512
 *
 * French habits are accepted (`;` or `,`, Windows-1252, decimal comma, `NA`/empty = missing, so
 * the line is skipped). Like every import it runs first as a dry run; the commit writes the
 * accepted lines in one transaction with its import batch, and re-importing the same file
 * changes nothing (unchanged values are not rewritten and trigger no roll-up).
 */

export interface ValueLineError {
  line: number;
  column: string;
  reason: string;
}

export interface ValuesImportReport {
  fileName: string;
  encoding: string;
  read: number;
  accepted: number;
  missing: number;
  rejected: ValueLineError[];
  duplicates: { line: number; firstLine: number }[];
  unknownUai: number;
  /** After a commit: lines written (new or changed) and unchanged. */
  written: number;
  unchanged: number;
  committed: boolean;
  batchId: string | null;
}

const COLUMN_ALIASES: Record<string, readonly string[]> = {
  uai: ["uai", "code_uai", "numero_uai", "identifiant_de_l_etablissement"],
  element: ["element", "data_element", "code_element", "element_de_donnee"],
  period: ["periode", "period"],
  disaggregation: ["ventilation", "disaggregation"],
  value: ["valeur", "value"],
};
const COLUMN_LABELS: Record<string, string> = {
  uai: "uai",
  element: "element",
  period: "periode",
  disaggregation: "ventilation",
  value: "valeur",
};

function normalize(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/** A values file that cannot be read at all (no header, missing columns): nothing is imported. */
export class ValuesFormatError extends AppError {
  constructor(message: string) {
    super(400, "invalid_file", message);
    this.name = "ValuesFormatError";
  }
}

function readRecords(bytes: Uint8Array): { encoding: string; header: string[]; records: CsvRecord[] } {
  const detection = detectEncoding(bytes);
  const decoder = createDecoder(detection.encoding);
  const text = decoder.write(bytes) + decoder.end();
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const records: CsvRecord[] = [];
  const tokenizer = new CsvTokenizer(detectSeparator(firstLine), (r) => records.push(r));
  tokenizer.push(text);
  tokenizer.end();
  const header = records.shift();
  if (!header) throw new ValuesFormatError("Fichier vide : la ligne d'en-tête est absente.");
  return { encoding: detection.encoding, header: header.fields, records };
}

export async function importValues(
  db: Kysely<Database>,
  bytes: Uint8Array,
  options: { commit: boolean; fileName: string },
): Promise<ValuesImportReport> {
  const catalogue = await ensureDataElements(db);
  const { encoding, header, records } = readRecords(bytes);
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const n = normalize(h);
    for (const [field, aliases] of Object.entries(COLUMN_ALIASES))
      if (aliases.includes(n)) index.set(field, i);
  });
  const missingColumns = ["uai", "element", "period", "value"].filter((c) => !index.has(c));
  if (missingColumns.length > 0) {
    throw new ValuesFormatError(
      `Colonnes obligatoires absentes : ${missingColumns.map((c) => COLUMN_LABELS[c]).join(", ")} (en-tête attendu : uai;element;periode;ventilation;valeur).`,
    );
  }
  const cell = (r: CsvRecord, field: string) => {
    const i = index.get(field);
    return i === undefined ? undefined : r.fields[i];
  };
  const report: ValuesImportReport = {
    fileName: options.fileName,
    encoding,
    read: records.length,
    accepted: 0,
    missing: 0,
    rejected: [],
    duplicates: [],
    unknownUai: 0,
    written: 0,
    unchanged: 0,
    committed: false,
    batchId: null,
  };
  // Schools of the file, in one query.
  const uais = new Set<string>();
  for (const r of records) {
    const u = codeCell(cell(r, "uai"))?.toUpperCase();
    if (u) uais.add(u);
  }
  const schools = await findSchoolIds(db, uais);
  const accepted: (SchoolValueInput & { line: number })[] = [];
  const seen = new Map<string, number>();
  for (const r of records) {
    const line = r.line;
    const reject = (column: string, reason: string) =>
      report.rejected.push({ line, column: COLUMN_LABELS[column] ?? column, reason });
    if (r.unterminatedQuote) {
      reject("uai", "guillemet non refermé : la fin du fichier a été atteinte dans cette cellule");
      continue;
    }
    const uai = codeCell(cell(r, "uai"))?.toUpperCase() ?? null;
    if (!uai) {
      reject("uai", "UAI manquant");
      continue;
    }
    const uaiCheck = checkUai(uai);
    if (!uaiCheck.ok) {
      reject("uai", uaiCheck.reason);
      continue;
    }
    const school = schools.get(uai);
    if (!school) {
      report.unknownUai++;
      reject("uai", `UAI ${uai} inconnu de Vigie (importez d'abord l'Annuaire)`);
      continue;
    }
    const elementCode = codeCell(cell(r, "element")) ?? "";
    const element = catalogue.elements.get(elementCode);
    if (!element) {
      reject(
        "element",
        elementCode ? `élément de donnée inconnu : « ${elementCode} »` : "élément de donnée manquant",
      );
      continue;
    }
    if (element.collectedAt !== "school") {
      reject(
        "element",
        `« ${elementCode} » se saisit au niveau ${element.collectedAt}, pas par établissement`,
      );
      continue;
    }
    const period = parsePeriod(codeCell(cell(r, "period")) ?? "");
    if (!period.ok) {
      reject("period", period.reason);
      continue;
    }
    const rawDis = codeCell(cell(r, "disaggregation")) ?? "";
    const dis = parseDisaggregationKey(rawDis.replace(/\s/g, ""));
    const badKey = Object.keys(dis).find((k) => !element.disaggregations.includes(k));
    if (badKey || (rawDis !== "" && Object.keys(dis).length === 0)) {
      reject(
        "disaggregation",
        `ventilation « ${rawDis} » non prévue pour « ${elementCode} » (possibles : ${element.disaggregations.join(", ") || "aucune"})`,
      );
      continue;
    }
    const badOption = Object.entries(dis).find(
      ([k, v]) => !catalogue.raw.disaggregations.find((d) => d.code === k)?.options.some((o) => o.code === v),
    );
    if (badOption) {
      reject("disaggregation", `option « ${badOption[1]} » inconnue pour la ventilation « ${badOption[0]} »`);
      continue;
    }
    const rawValue = cell(r, "value");
    const value = decimalCell(rawValue?.replace(/[\s\u00a0\u202f]/g, ""));
    if (value === null) {
      report.missing++;
      continue;
    }
    if (value === "invalid") {
      reject("value", `« ${rawValue} » n'est pas un nombre`);
      continue;
    }
    if (value < 0) {
      reject("value", "valeur négative");
      continue;
    }
    if (element.valueType === "boolean" && value !== 0 && value !== 1) {
      reject("value", "valeur attendue : 0 (non) ou 1 (oui)");
      continue;
    }
    const key = `${uai}|${elementCode}|${period.period.id}|${disaggregationKey(dis)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      report.duplicates.push({ line, firstLine: first });
      reject("uai", `doublon de la ligne ${first} (même UAI, élément, période et ventilation)`);
      continue;
    }
    seen.set(key, line);
    accepted.push({
      line,
      schoolId: school.id,
      academyCode: school.academyCode,
      dataElement: elementCode,
      period: period.period.id,
      disaggregation: disaggregationKey(dis),
      value,
    });
  }
  report.accepted = accepted.length;
  if (!options.commit || accepted.length === 0) return report;

  await db.transaction().execute(async (trx) => {
    // Unchanged values are left alone: the same file twice changes nothing and refreshes nothing.
    const changed: SchoolValueInput[] = [];
    const existing = new Map<string, number>();
    const bySchool = [...new Set(accepted.map((a) => a.schoolId))];
    for (let i = 0; i < bySchool.length; i += 2000) {
      const rows = await trx
        .selectFrom("data_value")
        .select(["school_id", "data_element_code", "period", "disaggregation", "value"])
        .where("school_id", "in", bySchool.slice(i, i + 2000))
        .where("data_element_code", "in", [...new Set(accepted.map((a) => a.dataElement))])
        .execute();
      for (const r of rows)
        existing.set(`${r.school_id}|${r.data_element_code}|${r.period}|${r.disaggregation}`, r.value);
    }
    for (const a of accepted) {
      const before = existing.get(`${a.schoolId}|${a.dataElement}|${a.period}|${a.disaggregation as string}`);
      if (before === a.value) report.unchanged++;
      else changed.push(a);
    }
    const batch = await trx
      .insertInto("import_batch")
      .values({
        kind: "values",
        file_name: options.fileName,
        file_sha256: createHash("sha256").update(bytes).digest("hex"),
        committed_at: new Date(),
        report: JSON.stringify({ ...report, rejected: report.rejected.slice(0, 1000) }),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    report.batchId = batch.id;
    const result = await writeSchoolValues(trx, changed, { source: "import", importBatchId: batch.id });
    report.written = result.written;
  });
  report.committed = true;
  return report;
}

export function formatValuesReport(r: ValuesImportReport): string {
  const lines = [
    `Fichier : ${r.fileName} (${r.encoding})`,
    `Lignes lues : ${r.read} — acceptées : ${r.accepted} — valeurs manquantes ignorées : ${r.missing} — rejetées : ${r.rejected.length}`,
  ];
  if (r.unknownUai > 0) lines.push(`UAI inconnus : ${r.unknownUai}`);
  for (const e of r.rejected.slice(0, 50))
    lines.push(`  ligne ${e.line}, colonne « ${e.column} » : ${e.reason}`);
  if (r.rejected.length > 50) lines.push(`  … et ${r.rejected.length - 50} autres rejets`);
  lines.push(
    r.committed
      ? `Import appliqué (lot ${r.batchId}) : ${r.written} valeurs écrites, ${r.unchanged} inchangées.`
      : "Simulation : rien n'a été enregistré (ajoutez --commit pour appliquer).",
  );
  return lines.join("\n");
}
