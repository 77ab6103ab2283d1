import { type Period, parsePeriod, periodOfTypeContaining } from "../../indicators/index.ts";
import { dateCell } from "../../platform/index.ts";
import { normalizeWord } from "./usage-vocabulary.ts";

/**
 * The period of a usage row, in the observatory's period syntax (indicators/domain/periods.ts):
 * a day, an ISO week, a month (and, for accounts counted once a year, a school year or a civil
 * year). ENT statistics write them several ways: `2025-03-14`, `14/03/2025`, `2025-03`,
 * `03/2025`, `mars 2025`, `2025-W11`, `S11 2025`, « Semaine du 10/03/2025 ». A date in a column
 * named « Semaine » or « Mois » is the week or the month that contains it (exports give the
 * first day of the period).
 */

export type PeriodHint = "day" | "week" | "month" | null;

/** What a period column's label says about its cells. */
export function periodHintOf(label: string): PeriodHint {
  const word = normalizeWord(label);
  if (word.startsWith("semaine")) return "week";
  if (word.startsWith("mois")) return "month";
  if (word === "jour" || word === "date" || word.startsWith("date du jour")) return "day";
  return null;
}

const MONTHS: Record<string, number> = {
  janvier: 1,
  janv: 1,
  fevrier: 2,
  fevr: 2,
  fev: 2,
  mars: 3,
  avril: 4,
  avr: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  juil: 7,
  aout: 8,
  septembre: 9,
  sept: 9,
  sep: 9,
  octobre: 10,
  oct: 10,
  novembre: 11,
  nov: 11,
  decembre: 12,
  dec: 12,
};

const pad = (n: number) => String(n).padStart(2, "0");

export type UsagePeriod = { ok: true; period: Period } | { ok: false; reason: string };

function fromDate(date: string, hint: PeriodHint): UsagePeriod {
  if (hint === "week") return { ok: true, period: periodOfTypeContaining("week", date) };
  if (hint === "month") return { ok: true, period: periodOfTypeContaining("month", date) };
  return { ok: true, period: periodOfTypeContaining("day", date) };
}

const remembered = new Map<string, UsagePeriod>();

/** Reads a period cell; the reason is in French and quotes the cell. Remembered: a file repeats its periods. */
export function readUsagePeriod(raw: string, hint: PeriodHint): UsagePeriod {
  const key = `${hint ?? ""}|${raw}`;
  const known = remembered.get(key);
  if (known) return known;
  const read = readPeriodCell(raw, hint);
  if (remembered.size >= 10_000) remembered.clear();
  remembered.set(key, read);
  return read;
}

function readPeriodCell(raw: string, hint: PeriodHint): UsagePeriod {
  const text = raw.trim();
  const weekOf = /^semaine du\s+(.+)$/i.exec(text);
  if (weekOf) {
    const date = dateCell(weekOf[1]);
    if (date === null || date === "invalid") return { ok: false, reason: `date « ${text} » inexistante` };
    return fromDate(date, "week");
  }
  const date = dateCell(text);
  if (typeof date === "string" && date !== "invalid") return fromDate(date, hint);
  let m = /^(\d{4})-?[WwSs](\d{1,2})$/.exec(text) ?? null;
  if (m) return checked(`${m[1]}-W${pad(Number(m[2]))}`);
  m = /^[SsWw](?:emaine\s*)?(\d{1,2})[\s/-]+(\d{4})$/.exec(text);
  if (m) return checked(`${m[2]}-W${pad(Number(m[1]))}`);
  m = /^(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) return checked(`${m[2]}-${pad(Number(m[1]))}`);
  const words = normalizeWord(text).split(" ");
  if (words.length === 2 && MONTHS[words[0] as string] !== undefined && /^\d{4}$/.test(words[1] as string))
    return checked(`${words[1]}-${pad(MONTHS[words[0] as string] as number)}`);
  return checked(text);
}

function checked(id: string): UsagePeriod {
  const result = parsePeriod(id);
  return result.ok ? { ok: true, period: result.period } : { ok: false, reason: result.reason };
}
