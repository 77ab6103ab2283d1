/**
 * Periods of the observatory: school year `2024-2025` (1 Sept → 31 Aug), civil year `2024`,
 * month `2024-09`, ISO week `2024-W37` and day `2024-09-02`.
 *
 * Dates are ISO strings (`YYYY-MM-DD`) and every computation goes through a UTC day number, so
 * no time zone or daylight saving change can shift a boundary.
 */

export const PERIOD_TYPES = ["school_year", "year", "month", "week", "day"] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

/** French names, for error messages and labels. */
export const PERIOD_TYPE_LABELS: Record<PeriodType, string> = {
  school_year: "année scolaire",
  year: "année civile",
  month: "mois",
  week: "semaine ISO",
  day: "jour",
};

export interface Period {
  readonly type: PeriodType;
  readonly id: string;
  /** First day, inclusive. */
  readonly start: string;
  /** Last day, inclusive. */
  readonly end: string;
}

export type PeriodParseResult = { ok: true; period: Period } | { ok: false; reason: string };

export class PeriodError extends Error {
  override readonly name = "PeriodError";
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 (UTC). */
export function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.split("-").map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) / MS_PER_DAY;
}

export function dateOfDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 0 = Monday … 6 = Sunday. */
function isoWeekday(day: number): number {
  // 1970-01-01 was a Thursday (index 3).
  return (((day + 3) % 7) + 7) % 7;
}

/** Monday of ISO week 1: the week that contains 4 January. */
function mondayOfWeekOne(isoYear: number): number {
  const jan4 = dayNumber(isoDate(isoYear, 1, 4));
  return jan4 - isoWeekday(jan4);
}

/** An ISO year has 53 weeks when 28 December falls in week 53. */
export function isoWeeksInYear(isoYear: number): number {
  const dec28 = dayNumber(isoDate(isoYear, 12, 28));
  return Math.floor((dec28 - mondayOfWeekOne(isoYear)) / 7) + 1;
}

function makeSchoolYear(startYear: number): Period {
  return {
    type: "school_year",
    id: `${startYear}-${startYear + 1}`,
    start: isoDate(startYear, 9, 1),
    end: isoDate(startYear + 1, 8, 31),
  };
}

function makeYear(year: number): Period {
  return { type: "year", id: pad(year, 4), start: isoDate(year, 1, 1), end: isoDate(year, 12, 31) };
}

function makeMonth(year: number, month: number): Period {
  return {
    type: "month",
    id: `${pad(year, 4)}-${pad(month)}`,
    start: isoDate(year, month, 1),
    end: isoDate(year, month, daysInMonth(year, month)),
  };
}

function makeWeek(isoYear: number, week: number): Period {
  const monday = mondayOfWeekOne(isoYear) + (week - 1) * 7;
  return {
    type: "week",
    id: `${pad(isoYear, 4)}-W${pad(week)}`,
    start: dateOfDayNumber(monday),
    end: dateOfDayNumber(monday + 6),
  };
}

function makeDay(date: string): Period {
  return { type: "day", id: date, start: date, end: date };
}

const FORMATS = "formats attendus : 2024-2025, 2024, 2024-09, 2024-W37 ou 2024-09-02";

/** Parses and validates a period id; the reason is in French. */
export function parsePeriod(raw: string): PeriodParseResult {
  const id = raw.trim();
  let m = /^(\d{4})-(\d{4})$/.exec(id);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (b !== a + 1) {
      return {
        ok: false,
        reason: `année scolaire « ${id} » invalide : la seconde année doit suivre la première`,
      };
    }
    return { ok: true, period: makeSchoolYear(a) };
  }
  m = /^(\d{4})$/.exec(id);
  if (m) return { ok: true, period: makeYear(Number(m[1])) };
  m = /^(\d{4})-(\d{2})$/.exec(id);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12)
      return { ok: false, reason: `mois « ${id} » invalide : mois ${m[2]} hors de 01 à 12` };
    return { ok: true, period: makeMonth(Number(m[1]), month) };
  }
  m = /^(\d{4})-W(\d{2})$/.exec(id);
  if (m) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    const weeks = isoWeeksInYear(year);
    if (week < 1 || week > weeks) {
      return {
        ok: false,
        reason: `semaine « ${id} » invalide : l'année ISO ${m[1]} compte ${weeks} semaines`,
      };
    }
    return { ok: true, period: makeWeek(year, week) };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(id);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return { ok: false, reason: `date « ${id} » inexistante` };
    }
    return { ok: true, period: makeDay(id) };
  }
  return { ok: false, reason: `période « ${id} » non reconnue (${FORMATS})` };
}

/** Like {@link parsePeriod}, but throws a {@link PeriodError}. */
export function period(raw: string): Period {
  const result = parsePeriod(raw);
  if (!result.ok) throw new PeriodError(result.reason);
  return result.period;
}

export function periodDays(p: Period): number {
  return dayNumber(p.end) - dayNumber(p.start) + 1;
}

export function periodContainsDate(p: Period, date: string): boolean {
  return p.start <= date && date <= p.end;
}

/** Granularity rank: a period can only belong to a coarser one. */
const RANK: Record<PeriodType, number> = { day: 0, week: 1, month: 2, year: 3, school_year: 3 };

/**
 * The date that decides where a period belongs when it straddles a boundary. Only an ISO week
 * can straddle (two months, two civil years, or two school years): it belongs, like in the ISO
 * 8601 rule for week-numbering years, to the period that contains its **Thursday** — the day
 * that holds the majority (4 of 7) of its days. Other periods are assigned by their first day,
 * which is exact since they never straddle a coarser boundary.
 */
export function anchorDate(p: Period): string {
  return p.type === "week" ? dateOfDayNumber(dayNumber(p.start) + 3) : p.start;
}

/** The period of a given type that contains a date. `week` uses the ISO week of the date. */
export function periodOfTypeContaining(type: PeriodType, date: string): Period {
  const [y, m] = date.split("-").map(Number) as [number, number];
  switch (type) {
    case "day":
      return makeDay(date);
    case "month":
      return makeMonth(y, m);
    case "year":
      return makeYear(y);
    case "school_year":
      return makeSchoolYear(m >= 9 ? y : y - 1);
    case "week": {
      const day = dayNumber(date);
      const thursday = day - isoWeekday(day) + 3;
      const isoYear = Number(dateOfDayNumber(thursday).slice(0, 4));
      return makeWeek(isoYear, Math.floor((thursday - mondayOfWeekOne(isoYear)) / 7) + 1);
    }
  }
}

/**
 * The period of a coarser type that contains `p` (see {@link anchorDate} for weeks).
 * Throws when `type` is not coarser: a month is not inside a week, and school and civil years
 * overlap without containing each other.
 */
export function containingPeriod(p: Period, type: PeriodType): Period {
  if (p.type === type) return p;
  if (RANK[type] <= RANK[p.type]) {
    throw new PeriodError(
      `un(e) ${PERIOD_TYPE_LABELS[p.type]} n'est pas contenu(e) dans un(e) ${PERIOD_TYPE_LABELS[type]}`,
    );
  }
  return periodOfTypeContaining(type, anchorDate(p));
}

/** Whether `fine` belongs to `coarse` under the rule of {@link containingPeriod}. */
export function belongsTo(fine: Period, coarse: Period): boolean {
  if (fine.type === coarse.type) return fine.id === coarse.id;
  try {
    return containingPeriod(fine, coarse.type).id === coarse.id;
  } catch {
    return false;
  }
}

/** The periods of a finer type that belong to `coarse`, in order (weeks by their Thursday). */
export function periodsWithin(coarse: Period, type: PeriodType): Period[] {
  const result: Period[] = [];
  const last = dayNumber(coarse.end);
  let day = dayNumber(coarse.start);
  if (type === "week") day -= 6; // a week starting before `coarse` may still belong to it
  const seen = new Set<string>();
  for (; day <= last; day++) {
    const p = periodOfTypeContaining(type, dateOfDayNumber(day));
    if (!seen.has(p.id) && belongsTo(p, coarse)) {
      seen.add(p.id);
      result.push(p);
    }
  }
  return result;
}

/** The period just before, of the same type (`2024-W01` → `2023-W52`, `2024-2025` → `2023-2024`). */
export function previousPeriod(p: Period): Period {
  return periodOfTypeContaining(p.type, dateOfDayNumber(dayNumber(p.start) - 1));
}

/**
 * The same period one year earlier, for year-over-year change: the previous school or civil
 * year, the same month, the same ISO week number (week 53 → week 52 when the previous ISO year
 * has none) and the same date (29 February → 28 February).
 */
export function samePeriodPreviousYear(p: Period): Period {
  switch (p.type) {
    case "school_year":
    case "year":
      return previousPeriod(p);
    case "month": {
      const [y, m] = p.id.split("-").map(Number) as [number, number];
      return makeMonth(y - 1, m);
    }
    case "week": {
      const [y, w] = p.id.split("-W").map(Number) as [number, number];
      return makeWeek(y - 1, Math.min(w, isoWeeksInYear(y - 1)));
    }
    case "day": {
      const [y, m, d] = p.id.split("-").map(Number) as [number, number, number];
      return makeDay(isoDate(y - 1, m, Math.min(d, daysInMonth(y - 1, m))));
    }
  }
}
