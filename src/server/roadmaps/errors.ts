import { AppError } from "../platform/index.ts";

/** A refusal with its HTTP status, a French message and, for an invalid document, its problems. */
export class RoadmapError extends AppError {
  declare readonly status: 400 | 403 | 404 | 409;
  declare readonly details: string[];

  constructor(status: 400 | 403 | 404 | 409, code: string, message: string, details: string[] = []) {
    super(status, code, message, { details });
    this.name = "RoadmapError";
  }
}
