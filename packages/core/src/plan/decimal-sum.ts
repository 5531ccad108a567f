/**
 * An exact running sum of canonical decimal strings (`-12.5`), kept as integer units at the
 * largest scale seen: a JS number while every step stays a safe integer (the common case), a
 * BigInt beyond, so millions of additions stay exact and allocate little.
 */
export class DecimalSum {
  #units = 0n;
  /** Units not yet moved into #units; always a safe integer. */
  #fast = 0;
  #scale = 0;

  add(value: string | number | boolean): void {
    const text = String(value);
    const dot = text.indexOf('.');
    const digits = dot < 0 ? 0 : text.length - dot - 1;
    if (digits > this.#scale) this.#rescale(digits);
    if (text.length < 16 && this.#addSmall(text, this.#scale - digits)) return;
    const units =
      dot < 0
        ? text + '0'.repeat(this.#scale)
        : text.slice(0, dot) + text.slice(dot + 1).padEnd(this.#scale, '0');
    const quick = units.length < 16 ? Number(units) : Number.NaN;
    const next = this.#fast + quick;
    if (Number.isSafeInteger(next)) this.#fast = next;
    else this.#units += BigInt(units);
  }

  /**
   * Adds a short plain decimal (at most 15 characters of digits, sign and point) as a JS number:
   * its digits are below 2^53, so the sum is exact while it stays a safe integer. False (nothing
   * added) when it does not, or the text holds anything else.
   */
  #addSmall(text: string, shift: number): boolean {
    let digits = 0;
    let negative = false;
    let point = false;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 48 && code <= 57) digits = digits * 10 + (code - 48);
      else if (code === 46 && !point) point = true;
      else if (code === 45 && i === 0) negative = true;
      else if (!(code === 43 && i === 0)) return false;
    }
    const units = (negative ? -digits : digits) * 10 ** shift;
    const next = this.#fast + units;
    if (!Number.isSafeInteger(units) || !Number.isSafeInteger(next)) return false;
    this.#fast = next;
    return true;
  }

  #rescale(scale: number): void {
    const fast = this.#fast * 10 ** (scale - this.#scale);
    if (this.#units === 0n && Number.isSafeInteger(fast)) {
      this.#fast = fast;
    } else {
      this.#units = (this.#units + BigInt(this.#fast)) * 10n ** BigInt(scale - this.#scale);
      this.#fast = 0;
    }
    this.#scale = scale;
  }

  #total(): bigint {
    return this.#units + BigInt(this.#fast);
  }

  /** True when both sums are the same number. */
  equals(other: DecimalSum): boolean {
    if (this.#scale === other.#scale && this.#units === 0n && other.#units === 0n)
      return this.#fast === other.#fast;
    return this.minus(other).#total() === 0n;
  }

  /** The difference this - other as a new sum. */
  minus(other: DecimalSum): DecimalSum {
    const scale = Math.max(this.#scale, other.#scale);
    const result = new DecimalSum();
    result.#scale = scale;
    result.#units =
      this.#total() * 10n ** BigInt(scale - this.#scale) -
      other.#total() * 10n ** BigInt(scale - other.#scale);
    return result;
  }

  /** The sum as a decimal string with exactly `places` decimals (places >= the sum's own scale). */
  toFixed(places: number): string {
    const scaled = this.#total() * 10n ** BigInt(Math.max(0, places - this.#scale));
    const negative = scaled < 0n;
    const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
    const body = places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
    return negative ? `-${body}` : body;
  }

  /** Digits after the decimal point needed to show the sum exactly. */
  get scale(): number {
    return this.#scale;
  }
}
