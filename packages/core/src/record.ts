/**
 * A number read from JSON, kept as its exact source text so amounts never pass through binary
 * floating point (`12.10` stays `12.10`). CSV values are plain strings and need no wrapper.
 */
export class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

/** A value of a source record: CSV gives strings and nulls, JSON the full tree. */
export type FieldValue = string | boolean | null | JsonNumber | FieldValue[] | { [key: string]: FieldValue };

/** Where a record came from, for errors, rejects and the ledger. */
export interface RecordOrigin {
  /** Path of the input file as the job named it (or a GetConnector id). */
  file: string;
  /** 1-based line of the record's first character (CSV: physical line, so quoted newlines count). */
  line: number;
  /** 0-based index of the record within its source. */
  index: number;
}

/**
 * One record from a source. `fields` is a null-prototype object, so keys such as `__proto__`
 * in a header or a JSON document are ordinary keys and cannot pollute anything.
 */
export interface SourceRecord {
  fields: Readonly<Record<string, FieldValue>>;
  origin: RecordOrigin;
  /**
   * CSV only: the row's fields exactly as read (before `null_strings`, padding or truncation), in
   * file order, so the rejects writer can write the row back unchanged.
   */
  raw?: readonly string[];
}
