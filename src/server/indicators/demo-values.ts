import { type Kysely, sql } from "kysely";
import type { Database } from "../platform/index.ts";
import { ensureDataElements } from "./catalogue.ts";
import { valueRule } from "./domain/bounds.ts";

/**
 * Demo data values, generated inside the database (one INSERT … SELECT per series) so that the
 * nation scale (60 000 schools × ~40 series × 3 school years + 12 months × 10 usage series)
 * loads in minutes. Values are deterministic (hash of UAI, series and period), plausible, rising
 * a little each year, and about 8 % of them are missing so that coverage is not always 100 %.
 * Only open schools get values. Marked `source = 'demo'`. Like every write, the demo keeps to
 * each element's type and bounds (domain/bounds.ts): a generated value outside them is not
 * stored (none is: observatory-bounds.test.ts checks the demo's values).
 */

/** SQL expression of a value; `h` is uniform in [0, 1) per school, series and period, `k` the year index (0…), `p` the pupils. */
interface DemoSeries {
  readonly element: string;
  readonly disaggregation?: string;
  readonly schools: "all" | "secondary" | "college" | "lycee" | "first";
  readonly expr: string;
  readonly monthly?: boolean;
}

const SECONDARY = "('college','lycee_gt','lycee_polyvalent','lycee_professionnel','lycee_agricole','erea')";
const LYCEE = "('lycee_gt','lycee_polyvalent','lycee_professionnel','lycee_agricole')";
const FIRST = "('ecole_maternelle','ecole_elementaire','ecole_primaire')";

const bool = (base: number, perYear: number) => `case when h < ${base} + ${perYear} * k then 1 else 0 end`;

export const DEMO_SERIES: readonly DemoSeries[] = [
  { element: "schools_expected", schools: "all", expr: "1" },
  { element: "pupils_enrolled", schools: "all", expr: "p" },
  { element: "teachers_in_post", schools: "all", expr: "round(p / 14.0) + 1" },
  { element: "school_pix_orga_status", schools: "secondary", expr: "1" },
  {
    element: "school_pix_orga_status",
    disaggregation: "pix_orga_status=active",
    schools: "secondary",
    expr: bool(0.55, 0.12),
  },
  { element: "school_pix_back_to_school_campaign", schools: "secondary", expr: bool(0.45, 0.1) },
  { element: "pupils_in_pix_campaign", schools: "secondary", expr: "round(p * (0.35 + 0.1 * k + 0.3 * h))" },
  { element: "pupils_pix_eligible", schools: "secondary", expr: "round(p * 0.3)" },
  {
    element: "pupils_pix_certified",
    schools: "secondary",
    expr: "round(round(p * 0.3) * (0.5 + 0.05 * k + 0.35 * h))",
  },
  { element: "pupils_pix_scored", schools: "secondary", expr: "round(p * 0.3)" },
  {
    element: "pix_score_total",
    schools: "secondary",
    expr: "round(round(p * 0.3) * (170 + 15 * k + 120 * h))",
  },
  {
    element: "pupils_pix_scored",
    disaggregation: "level=troisieme",
    schools: "college",
    expr: "round(p * 0.25)",
  },
  {
    element: "pix_score_total",
    disaggregation: "level=troisieme",
    schools: "college",
    expr: "round(round(p * 0.25) * (100 + 10 * k + 50 * h))",
  },
  {
    element: "pupils_pix_scored",
    disaggregation: "level=terminale",
    schools: "lycee",
    expr: "round(p * 0.3)",
  },
  {
    element: "pix_score_total",
    disaggregation: "level=terminale",
    schools: "lycee",
    expr: "round(round(p * 0.3) * (210 + 15 * k + 80 * h))",
  },
  {
    element: "pupils_pix_level_reached",
    schools: "secondary",
    expr: "round(p * (0.3 + 0.05 * k + 0.4 * h))",
  },
  {
    element: "school_teachers_trained_digital",
    schools: "all",
    expr: "round((round(p / 14.0) + 1) * (0.2 + 0.08 * k + 0.4 * h))",
  },
  { element: "school_self_assessment_done", schools: "all", expr: bool(0.1, 0.07) },
  { element: "school_trainer_designated", schools: "secondary", expr: bool(0.1, 0.03) },
  { element: "school_conversational_agent_used", schools: "secondary", expr: bool(0.05, 0.05) },
  { element: "school_e_devoirs_faits", schools: "college", expr: bool(0.3, 0.1) },
  { element: "orientation_digital_projects", schools: "secondary", expr: "floor(h * 3)" },
  { element: "nsi_pupils", schools: "lycee", expr: "round(p * (0.03 + 0.04 * h))" },
  {
    element: "nsi_pupils",
    disaggregation: "sex=girls",
    schools: "lycee",
    expr: "round(round(p * (0.03 + 0.04 * h)) * (0.1 + 0.02 * k + 0.15 * h))",
  },
  {
    element: "etwinning_projects",
    schools: "all",
    expr: "case when h < 0.15 then 1 + floor(h * 10) else 0 end",
  },
  { element: "eac_projects", schools: "all", expr: "1 + floor(h * 6)" },
  {
    element: "eac_projects_with_digital",
    schools: "all",
    expr: "floor((1 + floor(h * 6)) * (0.2 + 0.05 * k + 0.3 * h))",
  },
  { element: "eac_artist_digital_interventions", schools: "all", expr: "floor(h * 2)" },
  { element: "eac_digital_artistic_practices", schools: "all", expr: "floor(h * 3)" },
  { element: "school_ent_activated", schools: "all", expr: bool(0.6, 0.1) },
  { element: "ent_accounts", schools: "all", expr: "round(p * 2.2)" },
  { element: "ent_accounts", disaggregation: "profile=pupil", schools: "all", expr: "p" },
  { element: "ent_active_users", schools: "all", expr: "round(p * 2.2 * (0.35 + 0.06 * k + 0.4 * h))" },
  {
    element: "ent_active_users",
    disaggregation: "profile=pupil",
    schools: "all",
    expr: "round(p * (0.45 + 0.06 * k + 0.4 * h))",
  },
  // Social position index (IPS, 78.0 to 128.0, one decimal), the context of the similar-IPS peers.
  { element: "ips", schools: "all", expr: "round(780 + 500 * h) / 10.0" },
  { element: "computers", schools: "all", expr: "round(p * (0.1 + 0.02 * k + 0.3 * h))" },
  { element: "interactive_boards", schools: "all", expr: "round(p * (0.004 + 0.001 * k + 0.02 * h))" },
  // Usage, month by month (sum over the school year, except the last-value series).
  {
    element: "resource_connections",
    schools: "all",
    expr: "round(p * (1 + 2 * h + 0.3 * k))",
    monthly: true,
  },
  { element: "ent_connections", schools: "all", expr: "round(p * (8 + 10 * h + k))", monthly: true },
  {
    element: "ent_connections",
    disaggregation: "profile=pupil",
    schools: "all",
    expr: "round(p * (5 + 6 * h + k))",
    monthly: true,
  },
  {
    element: "ent_connections",
    disaggregation: "profile=teacher",
    schools: "all",
    expr: "round(p * (1.5 + 2 * h))",
    monthly: true,
  },
  {
    element: "ent_connections",
    disaggregation: "profile=parent",
    schools: "all",
    expr: "round(p * (1 + 2 * h))",
    monthly: true,
  },
  {
    element: "ent_connections",
    disaggregation: "profile=staff",
    schools: "all",
    expr: "round(p * (0.2 + 0.3 * h))",
    monthly: true,
  },
  {
    element: "ent_teachers_using_services",
    disaggregation: "ent_service=moodle",
    schools: "secondary",
    expr: "round((round(p / 14.0) + 1) * (0.2 + 0.4 * h))",
    monthly: true,
  },
  {
    element: "ent_teachers_using_services",
    disaggregation: "ent_service=web_conference",
    schools: "all",
    expr: "round((round(p / 14.0) + 1) * (0.1 + 0.3 * h))",
    monthly: true,
  },
  {
    element: "ent_teachers_using_services",
    disaggregation: "ent_service=audio_room",
    schools: "all",
    expr: "round((round(p / 14.0) + 1) * (0.05 + 0.2 * h))",
    monthly: true,
  },
  {
    element: "ent_teachers_using_services",
    disaggregation: "ent_service=gar_resource",
    schools: "all",
    expr: "round((round(p / 14.0) + 1) * (0.3 + 0.5 * h))",
    monthly: true,
  },
];

export interface DemoValuesOptions {
  /** School years, oldest first (default: the three before 2025-2026). */
  readonly schoolYears?: readonly string[];
  /** Months of usage series: only for the last school year (default), or none. */
  readonly monthly?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

const DEFAULT_YEARS = ["2022-2023", "2023-2024", "2024-2025"];

function schoolFilter(kind: DemoSeries["schools"]): string {
  switch (kind) {
    case "all":
      return "true";
    case "secondary":
      return `s.type in ${SECONDARY}`;
    case "college":
      return "s.type = 'college'";
    case "lycee":
      return `s.type in ${LYCEE}`;
    case "first":
      return `s.type in ${FIRST}`;
  }
}

function monthsOf(schoolYear: string): string[] {
  const first = Number(schoolYear.slice(0, 4));
  return [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8].map(
    (m) => `${m >= 9 ? first : first + 1}-${String(m).padStart(2, "0")}`,
  );
}

/** Inserts (or replaces) the demo values and records one roll-up request per académie. */
export async function loadDemoValues(db: Kysely<Database>, options: DemoValuesOptions = {}): Promise<number> {
  const catalogue = await ensureDataElements(db);
  const years = options.schoolYears ?? DEFAULT_YEARS;
  const lastYear = years[years.length - 1] as string;
  let inserted = 0;
  let done = 0;
  for (const s of DEMO_SERIES) {
    const periods: [string, number][] = s.monthly
      ? options.monthly === false
        ? []
        : monthsOf(lastYear).map((m) => [m, years.length - 1])
      : years.map((y, k) => [y, k]);
    if (periods.length === 0) continue;
    const values = sql.join(periods.map(([p, k]) => sql`(${p}::text, ${k}::int)`));
    const key = `${s.element}|${s.disaggregation ?? ""}`;
    const element = catalogue.elements.get(s.element);
    if (!element) throw new Error(`élément de démonstration inconnu du catalogue : ${s.element}`);
    const rule = valueRule(element);
    const integer = rule.valueType === "integer" || rule.valueType === "boolean";
    // The expression and filters are constants of this module, never user input.
    const result = await sql`
      insert into data_value (academy_code, data_element_code, period, school_id, disaggregation, value, source)
      select s.academy_code, ${s.element}, y.period, s.id, ${s.disaggregation ?? ""}, e.v, 'demo'
      from school s
      cross join (values ${values}) as y(period, k)
      cross join lateral (
        select (abs(hashtext(s.uai || ${key} || y.period)::bigint) % 10000) / 10000.0 as h,
               coalesce(s.pupils, 120 + abs(hashtext(s.uai)::bigint) % 480) as p,
               abs(hashtext(y.period || s.uai || ${key})::bigint) % 100 as missing,
               y.k as k
      ) r
      cross join lateral (select (${sql.raw(s.expr)})::double precision as v from (select r.h as h, r.p as p, r.k as k) x) e
      where s.status = 'open' and ${sql.raw(schoolFilter(s.schools))} and r.missing >= 8
        and e.v between ${rule.min} and ${rule.max} and (${!integer} or e.v = trunc(e.v))
      on conflict (academy_code, data_element_code, period, school_id, disaggregation)
      do update set value = excluded.value, source = excluded.source, updated_at = now()`.execute(db);
    inserted += Number(result.numAffectedRows ?? 0);
    done++;
    options.onProgress?.(done, DEMO_SERIES.length);
  }
  return inserted;
}

/** Demo figures delivered at territory level (trainee days, committee meetings, telepresence…). */
export async function loadDemoTerritoryValues(
  db: Kysely<Database>,
  schoolYears: readonly string[] = DEFAULT_YEARS,
): Promise<void> {
  await ensureDataElements(db);
  const years = sql.join(schoolYears.map((y, k) => sql`(${y}::text, ${k}::int)`));
  await sql`
    insert into territory_value (academy_code, data_element_code, period, territory_level, territory_code, disaggregation, value, source)
    select a.code, e.code, y.period, 'academy', a.code, '', round(e.base * (1 + 0.15 * y.k) * (0.6 + (abs(hashtext(a.code || e.code)::bigint) % 100) / 100.0)), 'demo'
    from academy a
    cross join (values ('trainee_days', 2500), ('teachers_pix_certified', 90), ('digital_referents', 120),
                       ('digital_referents_pix_certified', 60), ('school_heads', 400), ('school_heads_trained_schematic', 150)) as e(code, base)
    cross join (values ${years}) as y(period, k)
    where exists (select 1 from school s where s.academy_code = a.code)
    on conflict (academy_code, data_element_code, period, territory_level, territory_code, disaggregation)
    do update set value = excluded.value`.execute(db);
  await sql`
    insert into territory_value (academy_code, data_element_code, period, territory_level, territory_code, disaggregation, value, source)
    select d.academy_code, e.code, y.period, 'department', d.code, '', 1 + (abs(hashtext(d.code || e.code || y.period)::bigint) % e.base), 'demo'
    from department d
    cross join (values ('committee_meetings', 4), ('telepresence_systems_deployed', 30)) as e(code, base)
    cross join (values ${years}) as y(period, k)
    where exists (select 1 from school s where s.department_code = d.code)
    on conflict (academy_code, data_element_code, period, territory_level, territory_code, disaggregation)
    do update set value = excluded.value`.execute(db);
}
