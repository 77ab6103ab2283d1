import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import fs from "node:fs";
import chardet from "chardet";
import iconv from "iconv-lite";

/**
 * Encoding of an input file. French administrative files are UTF-8 (with or without BOM) or,
 * when saved from an old spreadsheet, Windows-1252.
 */
export type FileEncoding = "utf-8-bom" | "utf-8" | "windows-1252" | "utf-16le" | "utf-16be";

export interface EncodingDetection {
  encoding: FileEncoding;
  /** Set when the guess is uncertain and the user should check accented letters. */
  warning?: string;
}

/** Characters sampled for chardet: enough for a reliable guess, cheap on a national file. */
const SAMPLE_BYTES = 64 * 1024;

/** Western single-byte encodings that Windows-1252 decodes correctly (it is their superset in practice). */
const WESTERN = new Set(["ISO-8859-1", "ISO-8859-15", "windows-1252"]);

export function detectEncoding(bytes: Uint8Array): EncodingDetection {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf-8-bom" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be" };
  // A strict UTF-8 check of the whole file is native and fast; chardet only guesses from a sample.
  if (isUtf8(bytes)) return { encoding: "utf-8" };
  // Not UTF-8: Windows-1252 is what French spreadsheets write. chardet only serves to warn when
  // the bytes look like something else, because its guesses on short French texts wander
  // between ISO-8859-1, -2 and -9, which would garble accents if followed.
  const guess = chardet.analyse(bytes.subarray(0, SAMPLE_BYTES))[0];
  if (guess && guess.confidence >= 50 && !WESTERN.has(guess.name) && !guess.name.startsWith("UTF")) {
    return {
      encoding: "windows-1252",
      warning: `Encodage lu comme Windows-1252, mais le fichier ressemble à du ${guess.name} : vérifiez les lettres accentuées`,
    };
  }
  return { encoding: "windows-1252" };
}

/** Turns byte chunks into text, keeping characters split across chunks intact; drops the BOM. */
export interface ChunkDecoder {
  write(chunk: Uint8Array): string;
  end(): string;
}

export function createDecoder(encoding: FileEncoding): ChunkDecoder {
  if (encoding === "utf-8" || encoding === "utf-8-bom") {
    // TextDecoder removes a leading BOM and replaces invalid sequences with U+FFFD.
    const decoder = new TextDecoder("utf-8");
    return {
      write: (chunk) => decoder.decode(chunk, { stream: true }),
      end: () => decoder.decode(),
    };
  }
  const decoder = iconv.getDecoder(encoding === "windows-1252" ? "win1252" : encoding, { stripBOM: true });
  return {
    write: (chunk) => decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
    end: () => decoder.end() ?? "",
  };
}

/** Bytes read at a time by `detectFileEncoding` and the readers that stream a file. */
export const FILE_SLICE_BYTES = 1 << 20;

/**
 * `detectEncoding` for a file on disk, read in slices (never whole in memory): the BOM and the
 * chardet sample from its start, the strict UTF-8 check streamed over all of it. Also gives the
 * file's SHA-256 (hex) and size, which the readers report, from the same reading.
 */
export async function detectFileEncoding(
  file: string,
): Promise<EncodingDetection & { sha256: string; size: number }> {
  const hash = createHash("sha256");
  let valid = true;
  let carry: Buffer = Buffer.alloc(0);
  let head: Uint8Array | null = null;
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: FILE_SLICE_BYTES })) {
    const bytes = chunk as Buffer;
    if (head === null) head = bytes.subarray(0, SAMPLE_BYTES);
    hash.update(bytes);
    size += bytes.length;
    if (!valid) continue;
    // Checked natively on the bytes (decoding to text would leave megabytes of strings behind);
    // a character cut by the slice's end is carried over to the next one.
    const joined = carry.length > 0 ? Buffer.concat([carry, bytes]) : bytes;
    const cut = completeLength(joined);
    valid = isUtf8(joined.subarray(0, cut));
    carry = Buffer.from(joined.subarray(cut));
  }
  if (carry.length > 0) valid = false;
  const sample = head ?? new Uint8Array();
  // As `detectEncoding` on the whole file: the BOMs first, then the strict check, then the guess.
  const detection: EncodingDetection = valid
    ? { encoding: sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf ? "utf-8-bom" : "utf-8" }
    : detectEncoding(notUtf8Sample(sample));
  return { ...detection, sha256: hash.digest("hex"), size };
}

/**
 * The length of `bytes` without a UTF-8 character cut at its end (a lead byte whose continuation
 * bytes are missing): at most 3 bytes are left out.
 */
function completeLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/**
 * The sample as `detectEncoding` should see it when the whole file is not UTF-8 but its start
 * may be: one byte that is never UTF-8 appended, so that the guess goes to the single-byte path.
 */
function notUtf8Sample(sample: Uint8Array): Uint8Array {
  if (!isUtf8(sample)) return sample;
  const out = new Uint8Array(sample.length + 1);
  out.set(sample);
  out[sample.length] = 0xff;
  return out;
}
