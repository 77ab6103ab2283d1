import type { ColumnFamily, MatchedHeader, Profile } from "./types.ts";

/**
 * Recognising a file's columns by their names, as national services write them across versions
 * of their exports: accents, case, straight or typographic apostrophes, repeated or odd spaces
 * (no-break, narrow no-break) and a stray BOM do not matter. Then: which profile a header is
 * for, and, when it is not the one asked, which one it looks like.
 */

const APOSTROPHES = /[\u2018\u2019\u02bc\u02b9\u00b4\u0060\u2032]/g;
const SPACES = /[\s\u00a0\u202f\u2007]+/g;

/** A label as written, but with straight apostrophes, single spaces and no BOM. */
export function tidyLabel(label: string): string {
  return label
    .replace(/\uFEFF/g, "")
    .replace(APOSTROPHES, "'")
    .replace(SPACES, " ")
    .trim();
}

/** The comparison form of a label: tidied, lower case, without accents. */
export function normalizeLabel(label: string): string {
  return tidyLabel(label)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s*([()/:])\s*/g, "$1");
}

/** The item a family's pattern captures in a label (tried as written, lower-cased, then without accents). */
function familyItem(family: ColumnFamily, label: string): string | null {
  const tidy = tidyLabel(label);
  for (const form of [tidy, tidy.toLowerCase(), normalizeLabel(label)]) {
    const m = family.pattern.exec(form);
    if (m) return m[1] ?? form;
  }
  return null;
}

export interface HeaderMatch {
  readonly header: MatchedHeader;
  /** Labels of the required columns the header lacks (the profile's first label for each). */
  readonly missing: readonly string[];
}

/** Matches a header's labels to a profile's columns and families (the first occurrence of a label wins). */
export function matchHeader(
  profile: Pick<Profile, "columns" | "families">,
  labels: readonly string[],
): HeaderMatch {
  const normalized = labels.map(normalizeLabel);
  const columns = new Map<string, number>();
  const taken = new Set<number>();
  const missing: string[] = [];
  for (const spec of profile.columns) {
    const wanted = new Set(spec.labels.map(normalizeLabel));
    const index = normalized.findIndex((n, i) => !taken.has(i) && wanted.has(n));
    if (index === -1) {
      if (spec.required) missing.push(spec.labels[0] ?? spec.key);
      continue;
    }
    columns.set(spec.key, index);
    taken.add(index);
  }
  const families = new Map<string, Map<string, number>>();
  for (const family of profile.families ?? []) {
    const items = new Map<string, number>();
    labels.forEach((label, i) => {
      if (taken.has(i)) return;
      const item = familyItem(family, label);
      if (item !== null && !items.has(item)) {
        items.set(item, i);
        taken.add(i);
      }
    });
    families.set(family.key, items);
  }
  return { header: { columns, families, labels: labels.map(tidyLabel) }, missing };
}

export type ProfileMatch =
  | { readonly ok: true; readonly header: MatchedHeader }
  | { readonly ok: false; readonly reason: string };

const quoteList = (labels: readonly string[]) => labels.map((l) => `« ${l} »`).join(", ");

/** Does this header suit the profile (required columns present, its own check passed)? */
function suits(
  profile: Profile,
  labels: readonly string[],
): { header: MatchedHeader; problem: string | null } {
  const { header, missing } = matchHeader(profile, labels);
  if (missing.length > 0)
    return {
      header,
      problem: `colonne${missing.length > 1 ? "s" : ""} obligatoire${missing.length > 1 ? "s" : ""} absente${missing.length > 1 ? "s" : ""} : ${quoteList(missing)}`,
    };
  return { header, problem: profile.checkHeader?.(header) ?? null };
}

/**
 * The header for `profile`, or the French reason it is not this profile's file: the columns
 * expected, and, when the header suits another profile of `others`, « ce fichier ressemble à un
 * export « … » : utilisez le profil … ».
 */
export function matchProfile(
  profile: Profile,
  labels: readonly string[],
  others: readonly Profile[],
): ProfileMatch {
  const mine = suits(profile, labels);
  if (mine.problem === null) return { ok: true, header: mine.header };
  const lookalike = others.find(
    (p) => p.code !== profile.code && p.columns.some((c) => c.required) && suits(p, labels).problem === null,
  );
  if (lookalike)
    return {
      ok: false,
      reason: `Ce fichier ressemble à un export « ${lookalike.label} » : utilisez le profil ${lookalike.code} (vigie import ${lookalike.code}). Pour le profil ${profile.code} (« ${profile.label} »), ${mine.problem}.`,
    };
  const expected = profile.columns.filter((c) => c.required).map((c) => c.labels[0] ?? c.key);
  const read = labels.filter((l) => l.trim() !== "").slice(0, 12);
  return {
    ok: false,
    reason: `L'en-tête ne correspond pas au profil ${profile.code} (« ${profile.label} ») : ${mine.problem}. Colonnes attendues : ${quoteList(expected)}${profile.families?.length ? ", et les colonnes répétées du profil" : ""}. Colonnes lues : ${quoteList(read)}${labels.length > read.length ? "…" : ""}.`,
  };
}
