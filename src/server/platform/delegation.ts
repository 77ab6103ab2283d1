import crypto from "node:crypto";
import net from "node:net";
import readline from "node:readline";
import type { CliIo, Progress } from "./cli-program.ts";
import { AppError } from "./errors.ts";
import type { OwnerEndpoint } from "./owner-lock.ts";
import { terminalProgress } from "./progress.ts";

/**
 * How a `vigie` command reaches the server that owns the embedded base (ADR 0008): a TCP socket
 * on the loopback interface, whose port and secret token the server writes in its lock file
 * (readable only by the owner of the data directory). One connection carries one command as
 * newline-delimited JSON: the request, then the command's output, progress and exit code.
 */

export interface DelegatedRequest {
  args: string[];
  cwd: string;
  /** Whether the person's stderr is a terminal (progress bars are drawn only there). */
  tty: boolean;
}

type Message =
  | { t: "out"; text: string }
  | { t: "err"; text: string }
  | { t: "progress"; label: string; done: number; total: number }
  | { t: "progress-end"; label: string }
  | { t: "exit"; code: number };

export type RunDelegated = (request: DelegatedRequest, io: CliIo) => Promise<number>;

export interface DelegationEndpoint {
  endpoint: OwnerEndpoint;
  close(): Promise<void>;
}

/** Listens on loopback for commands handed over by other `vigie` processes. */
export async function startDelegationEndpoint(run: RunDelegated): Promise<DelegationEndpoint> {
  const token = crypto.randomBytes(32).toString("hex");
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    void serveOne(socket, token, run);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: { host: "127.0.0.1", port, token },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function serveOne(socket: net.Socket, token: string, run: RunDelegated): Promise<void> {
  const lines = readline.createInterface({ input: socket });
  const first = await new Promise<string | null>((resolve) => {
    lines.once("line", resolve);
    lines.once("close", () => resolve(null));
  });
  lines.close();
  const request = first === null ? null : parseRequest(first, token);
  const send = (message: Message) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
  };
  if (!request) {
    send({ t: "err", text: "Erreur : demande refusée (jeton de délégation invalide).\n" });
    send({ t: "exit", code: 2 });
    socket.end();
    return;
  }
  const code = await run(request, remoteIo(request, send));
  send({ t: "exit", code });
  socket.end();
}

function parseRequest(line: string, token: string): DelegatedRequest | null {
  try {
    const parsed = JSON.parse(line) as Partial<DelegatedRequest> & { token?: string };
    if (typeof parsed.token !== "string" || !sameSecret(parsed.token, token)) return null;
    if (!Array.isArray(parsed.args) || !parsed.args.every((a) => typeof a === "string")) return null;
    if (typeof parsed.cwd !== "string") return null;
    return { args: parsed.args, cwd: parsed.cwd, tty: parsed.tty === true };
  } catch {
    return null;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** The output side of a delegated command: everything goes back over the socket. */
function remoteIo(request: DelegatedRequest, send: (m: Message) => void): CliIo {
  return {
    out: (text) => send({ t: "out", text }),
    err: (text) => send({ t: "err", text }),
    cwd: request.cwd,
    progress: (label, enabled) => remoteProgress(label, enabled && request.tty, send),
  };
}

function remoteProgress(label: string, enabled: boolean, send: (m: Message) => void): Progress {
  if (!enabled) return { onProgress: undefined, stop: () => {} };
  // A bar redraws at most ten times a second: no need to send more.
  let last = 0;
  return {
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      send({ t: "progress", label, done, total });
    },
    stop: () => send({ t: "progress-end", label }),
  };
}

/** The client side: sends the command to the owner and plays its output here; resolves to its exit code. */
export async function delegateCommand(
  endpoint: OwnerEndpoint,
  request: DelegatedRequest,
  io: CliIo,
): Promise<number> {
  const socket = net.connect({ host: endpoint.host, port: endpoint.port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.write(`${JSON.stringify({ ...request, token: endpoint.token })}\n`);
  const bars = new Map<string, Progress>();
  let code: number | null = null;
  for await (const line of readline.createInterface({ input: socket })) {
    const message = JSON.parse(line) as Message;
    if (message.t === "out") io.out(message.text);
    else if (message.t === "err") io.err(message.text);
    else if (message.t === "progress") barFor(bars, message.label).onProgress?.(message.done, message.total);
    else if (message.t === "progress-end") endBar(bars, message.label);
    else code = message.code;
  }
  for (const label of [...bars.keys()]) endBar(bars, label);
  if (code === null) throw new DelegationInterrupted();
  return code;
}

/** The server closed the connection before the command ended (it stopped, or was killed). */
export class DelegationInterrupted extends AppError {
  constructor() {
    super(
      502,
      "delegation_interrupted",
      "la connexion avec le serveur Vigie s'est interrompue avant la fin de la commande ; vérifiez son état (journal du serveur) avant de la relancer.",
    );
  }
}

function barFor(bars: Map<string, Progress>, label: string): Progress {
  let bar = bars.get(label);
  if (!bar) {
    bar = terminalProgress(label, true);
    bars.set(label, bar);
  }
  return bar;
}

function endBar(bars: Map<string, Progress>, label: string): void {
  bars.get(label)?.stop();
  bars.delete(label);
}
