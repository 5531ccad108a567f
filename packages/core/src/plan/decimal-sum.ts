/**
 * An exact running sum of canonical decimal strings (`-12.5`), kept as a BigInt of units at the
 * largest scale seen, so millions of additions stay exact and allocate little.
 */
export class DecimalSum {
  #units = 0n;
  #scale = 0;

  add(value: string | number | boolean): void {
    const text = String(value);
    const dot = text.indexOf('.');
    const fraction = dot < 0 ? '' : text.slice(dot + 1);
    if (fraction.length > this.#scale) {
      this.#units *= 10n ** BigInt(fraction.length - this.#scale);
      this.#scale = fraction.length;
    }
    const whole = dot < 0 ? text : text.slice(0, dot);
    this.#units += BigInt(whole + fraction.padEnd(this.#scale, '0'));
  }

  /** True when both sums are the same number. */
  equals(other: DecimalSum): boolean {
    return this.minus(other).#units === 0n;
  }

  /** The difference this - other as a new sum. */
  minus(other: DecimalSum): DecimalSum {
    const scale = Math.max(this.#scale, other.#scale);
    const result = new DecimalSum();
    result.#scale = scale;
    result.#units =
      this.#units * 10n ** BigInt(scale - this.#scale) - other.#units * 10n ** BigInt(scale - other.#scale);
    return result;
  }

  /** The sum as a decimal string with exactly `places` decimals (places >= the sum's own scale). */
  toFixed(places: number): string {
    const scaled = this.#units * 10n ** BigInt(Math.max(0, places - this.#scale));
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
