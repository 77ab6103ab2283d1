const integer = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const coordinate = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 5 });
const longDate = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" });

export function formatInteger(value: number): string {
  return integer.format(value);
}

export function formatCoordinate(value: number): string {
  return coordinate.format(value);
}

/** « 1 établissement », « 12 établissements » (0 is singular in French). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatInteger(count)} ${Math.abs(count) < 2 ? singular : pluralForm}`;
}

/** An ISO date (YYYY-MM-DD or a full timestamp) as « 1 octobre 1965 »; the raw text when unreadable. */
export function formatDate(iso: string): string {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? iso : longDate.format(date);
}
