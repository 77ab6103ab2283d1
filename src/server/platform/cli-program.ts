import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import type { Config } from "./config.ts";
import type { DatabaseHandle } from "./db.ts";
import { AppError } from "./errors.ts";
import { terminalProgress } from "./progress.ts";

/**
 * The frame of the `vigie` command, shared by every module's commands: where output goes, how a
 * command reaches the database, French help and errors, and the exit code. A command runs the
 * same way in its own process and inside the server that owns the embedded base (delegation,
 * ADR 0008): only the `CliContext` differs, so the report and the exit code are the same.
 */

export interface Progress {
  onProgress: ((done: number, total: number) => void) | undefined;
  stop(): void;
}

/** For work whose progress the person does not see (a roll-up after an import). */
export const NO_PROGRESS: Progress = { onProgress: undefined, stop: () => {} };

/** Where a command writes: the process's own streams, or the socket back to the person's terminal. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** A progress bar on the person's terminal when `enabled` and stderr is a terminal; nothing otherwise. */
  progress(label: string, enabled: boolean): Progress;
  /** The person's working directory: relative file names are theirs. */
  cwd: string;
}

export interface CliContext {
  io: CliIo;
  config: Config;
  /** Runs `fn` on the database: opened for this command, or the server's own when delegated. */
  withDatabase<T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T>;
  /** True when the command runs inside the server on behalf of another process. */
  delegated: boolean;
  /**
   * Runs a job on the base and waits for its end, its progress on `progress`: through the
   * server's own runner when delegated, through a runner started for the command otherwise.
   */
  runJob<R>(handle: DatabaseHandle, type: string, payload: object, progress: Progress): Promise<R>;
}

/** A mistake of the person (a missing file, a wrong option value): French message, exit code 2. */
export class CliUsageError extends AppError {
  constructor(message: string) {
    super(400, "invalid_usage", message);
    this.name = "CliUsageError";
  }
}

/** Prints a line on standard output (a report). */
export function printLine(ctx: CliContext, text: string): void {
  ctx.io.out(`${text}\n`);
}

export function printError(ctx: CliContext, text: string): void {
  ctx.io.err(`${text}\n`);
}

export function resolveFile(ctx: CliContext, name: string): string {
  return path.resolve(ctx.io.cwd, name);
}

/** Reads a file the person named; a missing one is their mistake, said in French. */
export function readUserFile(ctx: CliContext, name: string): Buffer {
  return fs.readFileSync(userFilePath(ctx, name));
}

/** The path of a file the person named, checked to exist: for readers that stream it in slices. */
export function userFilePath(ctx: CliContext, name: string): string {
  const file = resolveFile(ctx, name);
  if (!fs.existsSync(file)) throw new CliUsageError(`Fichier introuvable : ${name}`);
  return file;
}

export function writeUserFile(ctx: CliContext, name: string, content: string | Buffer): void {
  fs.writeFileSync(resolveFile(ctx, name), content);
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    progress: terminalProgress,
    cwd: process.cwd(),
  };
}

// Commander's own messages are English: give the common ones in French.
const COMMANDER_MESSAGES: [RegExp, string][] = [
  [/^error: unknown command/, "erreur : commande inconnue"],
  [/^error: unknown option/, "erreur : option inconnue"],
  [/^error: missing required argument/, "erreur : argument manquant"],
  [/^error: required option/, "erreur : option obligatoire"],
  [/ not specified/, " manquante"],
  [/^error: option/, "erreur : option"],
  [/is invalid\. Allowed choices are/, "est invalide. Valeurs possibles :"],
  [/\(Did you mean (.*)\?\)/, "(Vouliez-vous dire $1 ?)"],
];
// Commander's help headings are English too.
const HELP_HEADINGS: [RegExp, string][] = [
  [/^Usage:/m, "Utilisation :"],
  [/^Options:/m, "Options :"],
  [/^Commands:/m, "Commandes :"],
  [/^Arguments:/m, "Arguments :"],
  [/\[command\]/g, "[commande]"],
];
const frenchHelp = (text: string) =>
  HELP_HEADINGS.reduce((t, [pattern, french]) => t.replace(pattern, french), text);
const frenchError = (message: string) =>
  COMMANDER_MESSAGES.reduce((m, [pattern, french]) => m.replace(pattern, french), message);

const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];

/** The root `vigie` command, before the modules add theirs. */
export function createProgram(description: string, helpAfter: string): Command {
  return new Command("vigie")
    .description(description)
    .helpOption("-h, --help", "afficher l'aide")
    .helpCommand("help [commande]", "afficher l'aide d'une commande")
    .showHelpAfterError("(vigie --help pour l'aide)")
    .configureHelp({ sortSubcommands: true })
    .addHelpText("after", helpAfter);
}

/**
 * Runs the program on `args` (the words after `vigie`) and returns the exit code. Errors that
 * `passThrough` accepts are re-thrown untouched (the CLI's signal to hand the command over).
 */
export async function runProgram(
  program: Command,
  args: readonly string[],
  io: CliIo,
  options: { passThrough?: (err: unknown) => boolean } = {},
): Promise<number> {
  // Subcommands copy these settings when they are created, so they are applied to every command
  // once all are declared, not only to the program.
  for (const command of everyCommand(program)) {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => io.out(frenchHelp(text)),
      writeErr: (text) => io.err(text),
      outputError: (message, write) => write(frenchError(message)),
    });
  }
  try {
    await program.parseAsync([...args], { from: "user" });
    return 0;
  } catch (err) {
    if (options.passThrough?.(err)) throw err;
    return exitCodeOf(err, io);
  }
}

/**
 * An AppError is meant for the person (their mistake, or a refusal they can act on): its French
 * message and exit code 2. Anything else is a fault of Vigie's: exit code 1, details printed.
 */
function exitCodeOf(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof AppError) {
    io.err(`Erreur : ${userMessage(err)}\n`);
    return 2;
  }
  io.err(`Erreur inattendue : ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** « X invalide : a ; b » with its list of problems reads better one problem a line. */
function userMessage(err: AppError): string {
  if (!Array.isArray(err.details) || err.details.length === 0) return err.message;
  const head = err.message.split(" : ")[0] ?? err.message;
  return `${head.charAt(0).toLowerCase()}${head.slice(1)} :\n- ${err.details.join("\n- ")}`;
}
