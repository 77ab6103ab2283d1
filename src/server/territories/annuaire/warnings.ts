/**
 * Warnings about rows that are imported anyway (an unreadable date, a département that disagrees
 * with the académie column…). They are counted by kind rather than listed, so that a national file
 * with a systematic quirk gives one readable line, not 60 000.
 */
export class WarningCounter {
  private readonly byKey = new Map<string, { message: string; count: number; firstLine: number }>();
  private readonly plain: string[] = [];

  /** Counts one row for a kind of warning; `message` is the French text of that kind. */
  row(key: string, message: string, line: number): void {
    const entry = this.byKey.get(key);
    if (entry) entry.count++;
    else this.byKey.set(key, { message, count: 1, firstLine: line });
  }

  /** A warning about the whole file. */
  file(message: string): void {
    this.plain.push(message);
  }

  list(): string[] {
    const rows = [...this.byKey.values()].map(({ message, count, firstLine }) =>
      count === 1
        ? `${message} (ligne ${firstLine})`
        : `${message} (${count} lignes, à partir de la ligne ${firstLine})`,
    );
    return [...this.plain, ...rows];
  }
}
