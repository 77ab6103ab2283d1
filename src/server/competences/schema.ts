/**
 * The competences module has no table of its own: its dashboards read the observatory's cells
 * (indicators) and the per-class summaries of the Pix imports (imports), through their doors.
 */
export {};
