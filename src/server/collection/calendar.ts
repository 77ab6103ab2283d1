import type { CampaignSummary, PeriodKind } from "../../contracts/collection.ts";

/** Dates of campaigns: today in France, phases, last year's period. Pure, no I/O. */

const PARIS_DAY = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris" });

/** Today's date in Metropolitan France (a campaign closes at midnight, Paris time). */
export function todayInFrance(now: Date = new Date()): string {
  return PARIS_DAY.format(now);
}

/** `date` plus `days` (ISO dates, calendar days). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export type Phase = CampaignSummary["phase"];

/**
 * upcoming before its opening; open up to its closing date (answers on time); closed for
 * `expiryDays` more days (answers still taken, late); locked after (DHIS2's expiry days).
 */
export function phaseOf(c: { opensOn: string; closesOn: string; expiryDays: number }, today: string): Phase {
  if (today < c.opensOn) return "upcoming";
  if (today <= c.closesOn) return "open";
  if (today <= addDays(c.closesOn, c.expiryDays)) return "closed";
  return "locked";
}

/** The kind of a period written `2025-2026` (school year) or `2025` (civil year), or null. */
export function periodKindOf(period: string): PeriodKind | null {
  const m = /^(\d{4})-(\d{4})$/.exec(period);
  if (m) return Number(m[2]) === Number(m[1]) + 1 ? "school_year" : null;
  return /^\d{4}$/.test(period) ? "year" : null;
}

/** Last year's period of the same kind: 2024-2025 for 2025-2026, 2024 for 2025. */
export function previousPeriod(period: string): string | null {
  const kind = periodKindOf(period);
  if (kind === "school_year") {
    const start = Number(period.slice(0, 4)) - 1;
    return `${start}-${start + 1}`;
  }
  return kind === "year" ? String(Number(period) - 1) : null;
}

/** Default dates of a new campaign: opens today, closes in four weeks. */
export function defaultDates(today: string): { opensOn: string; closesOn: string } {
  return { opensOn: today, closesOn: addDays(today, 28) };
}
