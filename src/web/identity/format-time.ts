const dateTime = new Intl.DateTimeFormat("fr-FR", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "Europe/Paris",
});
const shortDateTime = new Intl.DateTimeFormat("fr-FR", {
  dateStyle: "short",
  timeStyle: "medium",
  timeZone: "Europe/Paris",
});

/** An instant as people in France read it: « 24 novembre 2026 à 09:15 » (Paris time). */
export function formatDateTime(iso: string | null | undefined, empty = "jamais"): string {
  if (!iso) return empty;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** Compact form for tables: « 24/11/2026 09:15:02 ». */
export function formatShortDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : shortDateTime.format(date);
}

/** An event's summary as « clé : valeur » pairs (nested values as compact JSON). */
export function summaryEntries(summary: Record<string, unknown>): [string, string][] {
  return Object.entries(summary).map(([key, value]) => [
    key,
    typeof value === "string" ? value : JSON.stringify(value),
  ]);
}
