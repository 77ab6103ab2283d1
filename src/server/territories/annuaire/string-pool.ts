/**
 * Keeps the strings a parsed file retains small. A field cut out of a decoded chunk is, in V8, a
 * view on the whole chunk: keeping one school name would keep its megabyte of text alive, and a
 * national file's records would hold the entire decoded file. Strings kept in records go
 * through a pool that stores a flat copy, and shares it when the value repeats (dates, labels,
 * commune and district names repeat thousands of times in a national file).
 */
export class StringPool {
  private readonly pool = new Map<string, string>();
  private readonly objects = new Map<string, object>();

  /** A flat, shared copy of a value that repeats. */
  shared<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.pool.get(value);
    if (known !== undefined) return known as T;
    const copy = flatCopy(value);
    this.pool.set(copy, copy);
    return copy as T;
  }

  /** An object shared by rows with the same key (a district), if one was stored. */
  object(key: string): object | undefined {
    return this.objects.get(key);
  }

  setObject(key: string, value: object): void {
    this.objects.set(key, value);
  }
}

/**
 * A copy of the string that does not point into a larger one. Padding on both sides then slicing
 * forces V8 to flatten into a new string the size of the value (padding one side only is not
 * enough: V8 then slices the original directly). Short slices are copied by V8 anyway.
 */
export function flatCopy<T extends string | null>(value: T): T {
  if (value === null || value.length < 13) return value;
  return ` ${value} `.slice(1, -1) as T;
}
