/**
 * A file the importer cannot read at all (empty, not an Annuaire export). Callers show `message`
 * (French) to the user: the HTTP routes answer 400, the CLI prints it and exits with code 2.
 */
export class AnnuaireFormatError extends Error {
  override readonly name = "AnnuaireFormatError";
  constructor(
    readonly code: "empty_file" | "missing_columns" | "unreadable_file",
    message: string,
  ) {
    super(message);
  }
}
