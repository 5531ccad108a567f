/** Matches the first lone surrogate (a high one without its low half, or a low one on its own). */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `LONE_SURROGATE`, global: for replacing them under `invalid_bytes: replace`. */
export const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * Streams UTF-16 bytes to text without replacing anything: an odd trailing byte and a trailing
 * high surrogate are held for the next chunk, so a character is never split. Check each piece
 * with `LONE_SURROGATE`; `end()` returns what is left (a lone half or odd byte is then invalid).
 */
export class Utf16Decoder {
  readonly #bigEndian: boolean;
  #odd: number | null = null;
  #high = '';
  /** Code units returned so far (byte offset = BOM + 2 x units). */
  units = 0;

  constructor(bigEndian: boolean) {
    this.#bigEndian = bigEndian;
  }

  write(chunk: Buffer): string {
    let bytes = chunk;
    if (this.#odd !== null) {
      bytes = Buffer.concat([Buffer.of(this.#odd), chunk]);
      this.#odd = null;
    } else if (this.#bigEndian) {
      bytes = Buffer.from(chunk);
    }
    if (bytes.length % 2 === 1) {
      this.#odd = bytes[bytes.length - 1] as number;
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (this.#bigEndian) bytes.swap16();
    let text = this.#high + bytes.toString('utf16le');
    this.#high = '';
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.#high = text.slice(-1);
      text = text.slice(0, -1);
    }
    this.units += text.length;
    return text;
  }

  /** What is left at the end: '' when the input ended on a whole character. */
  end(): { text: string; oddByte: boolean } {
    const text = this.#high;
    this.#high = '';
    this.units += text.length;
    const oddByte = this.#odd !== null;
    this.#odd = null;
    return { text, oddByte };
  }
}
