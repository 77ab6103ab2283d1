import { AppError } from "../../platform/index.ts";

/**
 * A file the importer cannot read at all (empty, not an Annuaire export). Callers show `message`
 * (French) to the user: the HTTP routes answer 400 with the code, the CLI prints it and exits
 * with code 2.
 */
export class AnnuaireFormatError extends AppError {
  declare readonly code: "empty_file" | "missing_columns" | "unreadable_file";

  constructor(code: "empty_file" | "missing_columns" | "unreadable_file", message: string) {
    super(400, code, message);
    this.name = "AnnuaireFormatError";
  }
}
