import { z } from "zod";

/**
 * A mapping profile of the generic import (issue 10, item 8): how the columns of any CSV or XLSX
 * file become data values. It is saved under a name so that next year's file of the same shape
 * is read without redoing the mapping screen. Shared by the server (validation, OpenAPI) and the
 * web app's mapping screen.
 *
 * Columns are named by their header label as written in the file; matching is tolerant to
 * accents, case, apostrophes and spacing, like every profile's header.
 */

const label = z.string().trim().min(1, "Le nom de colonne est obligatoire.").max(200);
const code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]*$/, "Code attendu en minuscules, chiffres et « _ » (ex. computers).");

export const mappedColumn = z.object({
  /** Header label of a column holding one number per row. */
  column: label,
  dataElement: code,
  /** Fixed disaggregation options of this column ({ profile: "pupil" }); {} for the total. */
  disaggregation: z.record(code, code).default({}),
});
export type MappedColumn = z.infer<typeof mappedColumn>;

export const importMapping = z
  .object({
    name: z.string().trim().min(1, "Donnez un nom au profil de correspondance.").max(120),
    uaiColumn: label,
    /** The period: read in a column of the file, or the same for every row. */
    period: z.union([z.object({ column: label }), z.object({ fixed: z.string().trim().min(1).max(20) })]),
    columns: z.array(mappedColumn).min(1, "Associez au moins une colonne à un élément de donnée.").max(200),
    /**
     * A column whose cell gives one disaggregation option for the whole row (« Niveau » → level),
     * with the correspondence between the file's labels and the catalogue's option codes.
     */
    breakdown: z
      .object({
        column: label,
        disaggregation: code,
        options: z.record(z.string().trim().min(1).max(200), code),
      })
      .nullable()
      .default(null),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.columns.forEach((c, i) => {
      const key = c.column.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({
          code: "custom",
          path: ["columns", i, "column"],
          message: `La colonne « ${c.column} » est associée deux fois.`,
        });
      seen.add(key);
    });
  });
export type ImportMapping = z.infer<typeof importMapping>;
