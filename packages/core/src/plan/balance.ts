import type { CompiledElement } from '../mapping/compile-element.js';
import { DecimalSum } from './decimal-sum.js';

type Json = Record<string, unknown>;

/**
 * Checks that a document's lines balance: the sum of AmDe equals the sum of AmCr over the
 * sub-elements of every `each: row` object, in exact decimal arithmetic. Returns the reason
 * when they differ, with both totals and the exact difference.
 */
export function checkBalanced(compiled: CompiledElement, element: Json): string | undefined {
  const debit = new DecimalSum();
  const credit = new DecimalSum();
  const objects = (element.Objects ?? {}) as Json;
  for (const object of compiled.objects) {
    if (!object.each) continue;
    const lines = ((objects[object.name] as Json | undefined)?.Element ?? []) as Json[];
    for (const line of lines) {
      const fields = line.Fields as Json | undefined;
      if (fields?.AmDe !== undefined) debit.add(fields.AmDe as string);
      if (fields?.AmCr !== undefined) credit.add(fields.AmCr as string);
    }
  }
  if (debit.equals(credit)) return undefined;
  const difference = debit.minus(credit);
  const places = Math.max(2, difference.scale);
  return `entry is not balanced: debit ${debit.toFixed(places)} != credit ${credit.toFixed(places)} (difference ${difference.toFixed(places)}); debit and credit must be equal`;
}
