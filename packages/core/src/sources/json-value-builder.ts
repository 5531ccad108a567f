import { type FieldValue, JsonNumber } from '../record.js';
import type { JsonToken } from './json-tokenizer.js';

type Container =
  | { kind: 'object'; value: Record<string, FieldValue>; key: string }
  | { kind: 'array'; value: FieldValue[] };

/**
 * Assembles one JSON value from packed tokens: objects get a null prototype (so `__proto__` is
 * an ordinary key) and numbers become `JsonNumber`s with their exact source text.
 */
export class JsonValueBuilder {
  private readonly stack: Container[] = [];
  private result: FieldValue | undefined;

  /** True once a whole value has been assembled. */
  get done(): boolean {
    return this.result !== undefined;
  }

  /** Nesting depth of the value being built (0 before the first token and after the last). */
  get depth(): number {
    return this.stack.length;
  }

  /** Takes the finished value and resets the builder. */
  take(): FieldValue {
    const value = this.result as FieldValue;
    this.result = undefined;
    return value;
  }

  /** Consumes one token. */
  push(token: JsonToken): void {
    switch (token.name) {
      case 'startObject':
        this.stack.push({ kind: 'object', value: Object.create(null), key: '' });
        return;
      case 'startArray':
        this.stack.push({ kind: 'array', value: [] });
        return;
      case 'endObject':
      case 'endArray':
        this.add(this.stack.pop()!.value);
        return;
      case 'keyValue': {
        const top = this.stack[this.stack.length - 1];
        if (top?.kind === 'object') top.key = token.value as string;
        return;
      }
      case 'numberValue':
        this.add(new JsonNumber(token.value as string));
        return;
      case 'stringValue':
      case 'trueValue':
      case 'falseValue':
      case 'nullValue':
        this.add(token.value as FieldValue);
        return;
      default:
        return;
    }
  }

  private add(value: FieldValue): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) this.result = value;
    else if (top.kind === 'array') top.value.push(value);
    else top.value[top.key] = value;
  }
}

/** Describes a JSON value's kind for messages: object, array, string, number, boolean or null. */
export function jsonKind(value: FieldValue): string {
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return 'a number';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? 'a string' : 'a boolean';
}
