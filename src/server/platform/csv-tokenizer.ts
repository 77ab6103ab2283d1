/**
 * A streaming CSV tokenizer that never throws and knows the physical line where each record
 * starts (a quoted field may span lines; CRLF, LF and a lone CR each end one line).
 *
 * Why not csv-parse: rejections must name the line a user finds in a text editor, and csv-parse
 * reports the line where a record ends (off by one after CRLF) and drops the last record after an
 * unclosed quote. Reading `;`-separated text with quotes is a small state machine, written here
 * once with full control over malformed input: a stray quote inside an unquoted field is a
 * character; text after a closing quote is kept; an unclosed quote runs to the end of the file
 * and is flagged.
 */

export interface CsvRecord {
  fields: string[];
  /** Physical line (1-based) where the record starts. */
  line: number;
  /** True when the file ended inside a quoted field of this record. */
  unterminatedQuote: boolean;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvTokenizer {
  private readonly separator: number;
  private line = 1;
  private recordLine = 1;
  private fields: string[] = [];
  private buf = "";
  private inQuotes = false;
  /** A quote was seen inside a quoted field; the next character says if it closes the field. */
  private quotePending = false;
  /** The field has had a quoted section: a later quote is an ordinary character. */
  private fieldQuoted = false;
  /** The previous character was a CR: a LF right after it belongs to the same line break. */
  private prevCr = false;
  /** Something was read since the record started (so that a final newline adds no record). */
  private dirty = false;

  constructor(
    separator: string,
    private readonly onRecord: (record: CsvRecord) => void,
  ) {
    this.separator = separator.charCodeAt(0);
  }

  push(text: string): void {
    const n = text.length;
    const sep = this.separator;
    let i = 0;
    let start = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === QUOTE) {
            // "" inside a quoted field is one quote.
            this.buf += '"';
            i++;
            start = i;
            continue;
          }
          // The pending quote closed the field; this character is read as unquoted text.
          this.inQuotes = false;
          start = i;
          continue;
        }
        if (c === QUOTE) {
          this.buf += text.slice(start, i);
          this.quotePending = true;
          this.prevCr = false;
          i++;
          start = i;
          continue;
        }
        if (c === LF) {
          if (!this.prevCr) this.line++;
          this.prevCr = false;
        } else if (c === CR) {
          this.line++;
          this.prevCr = true;
        } else {
          this.prevCr = false;
        }
        i++;
        continue;
      }
      if (c === sep) {
        this.fields.push(this.buf + text.slice(start, i));
        this.buf = "";
        this.fieldQuoted = false;
        this.dirty = true;
        this.prevCr = false;
        i++;
        start = i;
        continue;
      }
      if (c === LF || c === CR) {
        if (c === LF && this.prevCr) {
          // Second half of a CRLF that already ended the record.
          this.prevCr = false;
          i++;
          start = i;
          continue;
        }
        this.buf += text.slice(start, i);
        this.emit(false);
        this.line++;
        this.recordLine = this.line;
        this.prevCr = c === CR;
        i++;
        start = i;
        continue;
      }
      this.prevCr = false;
      this.dirty = true;
      if (c === QUOTE && !this.fieldQuoted && this.buf === "" && start === i) {
        this.inQuotes = true;
        this.fieldQuoted = true;
        i++;
        start = i;
        continue;
      }
      i++;
    }
    if (start < n) {
      this.buf += text.slice(start, n);
      this.dirty = true;
    }
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): void {
    const unterminated = this.inQuotes && !this.quotePending;
    if (this.dirty || this.inQuotes) this.emit(unterminated);
    this.inQuotes = false;
    this.quotePending = false;
  }

  private emit(unterminatedQuote: boolean): void {
    const fields = this.fields;
    fields.push(this.buf);
    this.onRecord({ fields, line: this.recordLine, unterminatedQuote });
    this.fields = [];
    this.buf = "";
    this.fieldQuoted = false;
    this.dirty = false;
  }
}

/**
 * Guesses the separator from the header line: the most frequent of `;`, `,`, tab outside quotes.
 * The Annuaire uses `;`, which wins ties, but a re-saved file may use another.
 */
export function detectSeparator(headerLine: string): string {
  const counts = new Map<string, number>([
    [";", 0],
    [",", 0],
    ["\t", 0],
  ]);
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) as number) + 1);
  }
  let best = ";";
  for (const [sep, count] of counts) if (count > (counts.get(best) as number)) best = sep;
  return best;
}
