import type { FieldValue, SourceRecord } from '../record.js';
import { JsonFormatError } from './errors.js';
import type { JsonToken } from './json-tokenizer.js';
import { JsonValueBuilder, jsonKind } from './json-value-builder.js';

interface Frame {
  kind: 'object' | 'array';
  key: string;
  count: number;
  matched: boolean;
  line: number;
}

/**
 * Follows the token stream of a whole JSON document and turns the elements of the array at a
 * JSON pointer into records, each with the line its element starts on.
 */
export class JsonArraySelector {
  readonly ready: SourceRecord[] = [];
  private readonly frames: Frame[] = [];
  private readonly builder = new JsonValueBuilder();
  private collecting = false;
  private found = false;
  private targetLine = 0;
  private elementLine = 0;
  private index = 0;

  constructor(
    private readonly file: string,
    private readonly segments: readonly string[],
    private readonly pointer: string,
  ) {}

  /** Consumes one token read on `line`. */
  push(token: JsonToken, line: number): void {
    if (this.collecting) {
      this.collect(token, line);
      return;
    }
    const depth = this.frames.length;
    const matched = this.matchesHere(depth);
    const isTarget = matched && depth === this.segments.length;
    if (token.name === 'startObject' || token.name === 'startArray') {
      if (isTarget && token.name === 'startArray') {
        this.collecting = true;
        this.found = true;
        this.targetLine = line;
        return;
      }
      if (isTarget) throw this.notAnArray('an object', line);
      this.frames.push({
        kind: token.name === 'startObject' ? 'object' : 'array',
        key: '',
        count: 0,
        matched,
        line,
      });
    } else if (token.name === 'keyValue') {
      this.frames[depth - 1]!.key = token.value as string;
    } else if (token.name === 'endObject' || token.name === 'endArray') {
      this.frames.pop();
      this.valueEnded();
    } else {
      if (isTarget) throw this.notAnArray(jsonKind(token.value as FieldValue), line);
      this.valueEnded();
    }
  }

  /** Checks the document ended cleanly and the pointer was found; `at` is the end position. */
  finish(at: { line: number; column: number }): void {
    const inside = this.insideDescription();
    if (inside) throw this.truncated(at, inside);
    if (!this.found) {
      throw new JsonFormatError(
        { file: this.file, ...at },
        `${this.file}: no array at \`${this.pointer || '/'}\`; set \`records\` to the JSON pointer of the array of records (e.g. \`/data/items\`)`,
      );
    }
  }

  /** Describes where an unfinished document stopped, or '' when it is complete. */
  insideDescription(): string {
    const where = this.pointer === '' ? 'the root array' : `the array at \`${this.pointer}\``;
    if (this.collecting && this.builder.depth > 0) {
      return `record ${this.index + 1} (which starts at line ${this.elementLine}) of ${where} (line ${this.targetLine})`;
    }
    if (this.collecting)
      return `${where} (which starts at line ${this.targetLine}) after record ${this.index}`;
    const top = this.frames[this.frames.length - 1];
    return top ? `the ${top.kind} that starts at line ${top.line}` : '';
  }

  /** The error for a document that ends early, at the end position. */
  truncated(at: { line: number; column: number }, inside: string): JsonFormatError {
    return new JsonFormatError(
      { file: this.file, ...at },
      `${this.file}:${at.line}:${at.column}: the file ends inside ${inside}; ` +
        'it is incomplete (an interrupted export or copy?): produce the file again',
    );
  }

  private collect(token: JsonToken, line: number): void {
    if (this.builder.depth === 0) {
      if (token.name === 'endArray') {
        this.collecting = false;
        this.valueEnded();
        return;
      }
      this.elementLine = line;
    }
    this.builder.push(token);
    if (!this.builder.done) return;
    const value = this.builder.take();
    if (
      value === null ||
      typeof value !== 'object' ||
      Array.isArray(value) ||
      !(Object.getPrototypeOf(value) === null)
    ) {
      throw new JsonFormatError(
        { file: this.file, line: this.elementLine, column: 1 },
        `${this.file}:${this.elementLine}: record ${this.index + 1} is ${jsonKind(value)}, expected an object; every element of the records array must be an object`,
      );
    }
    this.ready.push({
      fields: value as Record<string, FieldValue>,
      origin: { file: this.file, line: this.elementLine, index: this.index++ },
    });
  }

  private matchesHere(depth: number): boolean {
    if (depth === 0) return true;
    if (depth > this.segments.length) return false;
    const parent = this.frames[depth - 1]!;
    const segment = parent.kind === 'object' ? parent.key : String(parent.count);
    return parent.matched && segment === this.segments[depth - 1];
  }

  private valueEnded(): void {
    const parent = this.frames[this.frames.length - 1];
    if (parent?.kind === 'array') parent.count++;
  }

  private notAnArray(kind: string, line: number): JsonFormatError {
    return new JsonFormatError(
      { file: this.file, line, column: 1 },
      `${this.file}:${line}: expected an array of records at \`${this.pointer || '/'}\`, got ${kind}; set \`records\` to the JSON pointer of the array`,
    );
  }
}
