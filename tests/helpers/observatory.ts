import type { Kysely } from "kysely";
import type { Database } from "../../src/server/platform/schema.ts";

/**
 * One stored aggregate of the observatory, as the roll-up writes it (40 of 50 schools reporting,
 * denominator 100), for tests of modules that read the observatory's output (roadmap statuses).
 * The roll-up itself is tested from school values in observatory-*.test.ts.
 */
export async function storeAggregate(
  db: Kysely<Database>,
  indicatorCode: string,
  node: { level: string; code: string; academyCode: string },
  period: string,
  value: number,
  status = "published",
): Promise<void> {
  await db
    .insertInto("indicator_aggregate")
    .values({
      academy_code: node.academyCode,
      indicator_code: indicatorCode,
      period,
      node_level: node.level,
      node_code: node.code,
      parent_key: null,
      grp: "",
      disaggregation: "",
      sum_num: value,
      sum_den: 100,
      numerator: value,
      denominator: 100,
      value,
      schools_reporting: 40,
      schools_reporting_expected: 40,
      schools_expected: 50,
      largest: null,
      people: null,
      status,
    })
    .execute();
}
