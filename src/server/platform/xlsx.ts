import type ExcelJS from "exceljs";

/**
 * ExcelJS, loaded the first time a workbook is read or written. It is the heaviest package of the
 * server (≈ 28 MB of memory once loaded) and most processes never touch a workbook: a `vigie
 * import` of a CSV file, or a server that nobody asks for an XLSX export, does without it.
 */
let loading: Promise<typeof ExcelJS> | null = null;

export function loadExcel(): Promise<typeof ExcelJS> {
  loading ??= import("exceljs").then((m) => m.default);
  return loading;
}
