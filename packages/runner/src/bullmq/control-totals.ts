import type { ControlTotal } from '@koppel/core';

const cents = (amount: string): bigint => {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
  return negative ? -value : value;
};

const amount = (value: bigint): string => {
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

/**
 * Adds control totals of several parts of a run up (the submitting process, each chunk), exactly
 * (amounts in cents), sorted by administration, journal, year and period like core's `ControlTotals`.
 */
export function mergeControlTotals(lists: readonly (readonly ControlTotal[])[]): ControlTotal[] {
  const slots = new Map<string, { total: ControlTotal; debit: bigint; credit: bigint }>();
  for (const list of lists) {
    for (const total of list) {
      const id = [total.administration, total.journal, total.year, total.period].join('\u0000');
      const slot = slots.get(id) ?? { total: { ...total, entries: 0 }, debit: 0n, credit: 0n };
      slot.total.entries += total.entries;
      slot.debit += cents(total.debit);
      slot.credit += cents(total.credit);
      slots.set(id, slot);
    }
  }
  return [...slots.values()]
    .map(({ total, debit, credit }) => ({ ...total, debit: amount(debit), credit: amount(credit) }))
    .sort((a, b) =>
      [a.administration, a.journal, a.year, a.period]
        .join('|')
        .localeCompare([b.administration, b.journal, b.year, b.period].join('|'), 'en', { numeric: true }),
    );
}
