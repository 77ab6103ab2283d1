import fs from "node:fs";

/**
 * Replaces (or appends) one section of docs/benchmarks.md between markers, so each benchmark
 * keeps its latest figures with the date, the machine and the command that produced them.
 */
export function writeBenchmarkSection(
  file: string,
  id: string,
  section: { title: string; machine: string; command: string; table: string },
): void {
  const begin = `<!-- bench:${id}:begin -->`;
  const end = `<!-- bench:${id}:end -->`;
  const body = [
    begin,
    `## ${section.title}`,
    "",
    `Mesuré le ${new Date().toISOString().slice(0, 10)} avec \`${section.command}\` sur : ${section.machine}.`,
    "",
    section.table,
    end,
  ].join("\n");
  const current = fs.existsSync(file)
    ? fs.readFileSync(file, "utf8")
    : "# Mesures de performance\n\nChiffres produits par `npm run bench` ; chaque section est réécrite à chaque exécution.\n";
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);
  const next =
    start >= 0 && stop > start
      ? current.slice(0, start) + body + current.slice(stop + end.length)
      : `${current.trimEnd()}\n\n${body}\n`;
  fs.writeFileSync(file, next);
}
