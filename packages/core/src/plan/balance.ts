import Big from 'big.js';
import type { CompiledElement } from '../mapping/compile-element.js';
import { fractionDigits } from '../mapping/parse-decimal.js';

type Json = Record<string, unknown>;

/**
 * Checks that a document's lines balance: the sum of AmDe equals the sum of AmCr over the
 * sub-elements of every `each: row` object, in exact decimal arithmetic. Returns the reason
 * when they differ, with both totals and the exact difference.
 */
export function checkBalanced(compiled: CompiledElement, element: Json): string | undefined {
  let debit = new Big(0);
  let credit = new Big(0);
  const objects = (element.Objects ?? {}) as Json;
  for (const object of compiled.objects) {
    if (!object.each) continue;
    const lines = ((objects[object.name] as Json | undefined)?.Element ?? []) as Json[];
    for (const line of lines) {
      const fields = (line.Fields ?? {}) as Json;
      if (fields.AmDe !== undefined) debit = debit.plus(String(fields.AmDe));
      if (fields.AmCr !== undefined) credit = credit.plus(String(fields.AmCr));
    }
  }
  if (debit.eq(credit)) return undefined;
  const difference = debit.minus(credit);
  const places = Math.max(2, ...[debit, credit, difference].map((value) => fractionDigits(value.toFixed())));
  const show = (value: Big): string => value.toFixed(places);
  return `entry is not balanced: debit ${show(debit)} != credit ${show(credit)} (difference ${show(difference)}); debit and credit must be equal`;
}
