import type { Row } from '../../db.js';
import type { Texts } from '../../language.js';
import { actionOf, type Connector, type DeleteTarget } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { compareDecimals, sumDecimals } from '../decimal.js';
import { children, type Element, has, labelOf, requireMandatory, str, toRow } from '../element.js';
import {
  allocationRequired,
  badDeletePath,
  blockedDate,
  blockedPeriod,
  doesNotExist,
  duplicateKey,
  mandatory,
  noLines,
  recordMissing,
  unbalanced,
  unsupportedAction,
} from '../messages.js';
import { FI_ENTRIES_SPEC, LINES } from './fi-entries-spec.js';

const AXES: Texts[] = [
  { nl: 'Kostenplaats', en: 'Cost center', fr: 'Centre de coûts' },
  { nl: 'Kostendrager', en: 'Cost unit', fr: 'Unité de coûts' },
];

const LINE_COLUMNS = {
  VaAs: 'AccountKind',
  AcNr: 'AccountNo',
  EnDa: 'EntryDate',
  BpDa: 'VoucherDate',
  BpNr: 'VoucherNo',
  Ds: 'Description',
  AmDe: 'AmountDebit',
  AmCr: 'AmountCredit',
  InId: 'InvoiceId',
  VaId: 'VatCode',
  DaEx: 'DueDate',
};

/** `2024-11-01` as Profit prints it in messages: `1-11-2024`. */
const dmy = (date: string): string => {
  const [y, m, d] = date.slice(0, 10).split('-');
  return `${Number(d)}-${Number(m)}-${y}`;
};

const inUnit = (unId: number) => (row: Row) =>
  row.UnitId === undefined || row.UnitId === null || row.UnitId === unId;

function checkHeader(ctx: UpdateContext, header: Element, unId: number): void {
  requireMandatory(header);
  const open = ctx.options.openReferences;
  if (!open && ctx.find('administrations', (row) => row.AdminId === unId).length === 0) {
    throw doesNotExist(labelOf(header.spec, 'UnId'));
  }
  const journal = str(header, 'JoCo');
  if (
    !open &&
    ctx.find('journals', (row) => inUnit(unId)(row) && String(row.JournalId) === journal).length === 0
  ) {
    throw doesNotExist(labelOf(header.spec, 'JoCo'));
  }
  const year = Number(header.values.get('Year'));
  const period = Number(header.values.get('Peri'));
  const periods = ctx.find('periods', (row) => row.UnitId === unId);
  const current = periods.find((row) => row.Year === year && row.Period === period);
  // An administration with periods set up only books in those; one without any is not checked.
  if (!open && periods.length > 0 && !current) throw doesNotExist(labelOf(header.spec, 'Peri'));
  if (current?.Blocked === true) throw blockedPeriod(period, year);
}

function accountOf(ctx: UpdateContext, line: Element, unId: number): Row | undefined {
  const number = str(line, 'AcNr');
  switch (str(line, 'VaAs')) {
    case '1':
      return (
        ctx.lookup('accounts', 'AccountNr', number ?? null).find(inUnit(unId)) ??
        ctx.find('accounts', (row) => inUnit(unId)(row) && String(row.AccountNr) === number)[0]
      );
    case '2':
      return (
        ctx.lookup('debtors', 'DebtorId', number ?? null)[0] ??
        ctx.find('debtors', (row) => String(row.DebtorId) === number)[0]
      );
    default:
      return (
        ctx.lookup('creditors', 'CreditorId', number ?? null)[0] ??
        ctx.find('creditors', (row) => String(row.CreditorId) === number)[0]
      );
  }
}

/**
 * DiC1 (cost centre, axis 1) and DiC2 (cost unit, axis 2) of allocation lines must be in the
 * administration's seeded `cost_centres`; an administration without any is not checked.
 */
function checkAllocations(ctx: UpdateContext, dims: Element[], unId: number): void {
  const codes = ctx.find('cost_centres', (row) => row.UnitId === unId);
  if (codes.length === 0) return;
  for (const dim of dims) {
    for (const axis of [1, 2]) {
      const code = str(dim, `DiC${axis}`);
      if (code === undefined) continue;
      if (!codes.some((row) => row.Axis === axis && String(row.Code) === code)) {
        throw doesNotExist(labelOf(dim.spec, `DiC${axis}`));
      }
    }
  }
}

function checkLine(ctx: UpdateContext, line: Element, unId: number): void {
  requireMandatory(line);
  const open = ctx.options.openReferences;
  const account = accountOf(ctx, line, unId);
  if (!account && !open) throw doesNotExist(labelOf(line.spec, 'AcNr'));
  const date = str(line, 'EnDa') ?? '';
  const blocked = ctx.find(
    'periods',
    (row) =>
      row.UnitId === unId &&
      row.Blocked === true &&
      String(row.StartDate) <= date &&
      date <= String(row.EndDate),
  );
  if (blocked.length > 0) throw blockedDate(dmy(date));
  if (
    !open &&
    has(line, 'VaId') &&
    ctx.find('vat_codes', (row) => row.VatCode === str(line, 'VaId')).length === 0
  ) {
    throw doesNotExist(labelOf(line.spec, 'VaId'));
  }
  const dims = children(line, 'FiDimEntries');
  if (!open) checkAllocations(ctx, dims, unId);
  if (!account || str(line, 'VaAs') !== '1') return;
  for (const [index, axis] of ['DimAx1', 'DimAx2'].entries()) {
    if (!account[axis]) continue;
    if (dims.length === 0 || dims.some((dim) => !has(dim, `DiC${index + 1}`))) {
      throw allocationRequired(AXES[index] as Texts, String(account.AccountNr));
    }
  }
  const projects = children(line, 'FiPrjEntries');
  if (account.ToProject === true && projects.length === 0) {
    throw mandatory(labelOf(LINES.objects[1] ?? LINES, 'PrId'));
  }
  for (const project of projects) requireMandatory(project);
}

/** Lines per journal entry: explicit EnNo values, and one group (key undefined) for lines without. */
function groupByEntry(lines: Element[]): Map<number | undefined, Element[]> {
  const groups = new Map<number | undefined, Element[]>();
  for (const line of lines) {
    const key = has(line, 'EnNo') ? Number(line.values.get('EnNo')) : undefined;
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  return groups;
}

function checkBalance(lines: Element[], entryNo: number): void {
  const debit = sumDecimals(lines.map((line) => str(line, 'AmDe') ?? '0'));
  const credit = sumDecimals(lines.map((line) => str(line, 'AmCr') ?? '0'));
  if (compareDecimals(debit, credit) !== 0) throw unbalanced(String(entryNo), debit, credit);
}

/** One entry of a FiEntryPar: its administration, the EnNo it gives (if any) and its lines. */
interface EntryLines {
  unId: number;
  given: number | undefined;
  lines: Element[];
}

function insertEntry(ctx: UpdateContext, header: Element, { unId, given, lines }: EntryLines) {
  const entryNo =
    given ??
    ctx.nextNumber(`EnNo:${unId}`, {
      start: ctx.options.entryNoStart,
      sources: [['entries', 'EntryNo']],
      group: { column: 'UnitId', value: unId },
    });
  if (given !== undefined && ctx.lookup('entries', 'EntryNo', given).some((row) => row.UnitId === unId)) {
    throw duplicateKey(labelOf(LINES, 'EnNo'));
  }
  checkBalance(lines, entryNo);
  const open = lines.filter((line) => str(line, 'VaAs') !== '1');
  let invoiceId = open.map((line) => str(line, 'InId')).find((id) => id !== undefined);
  const generated = header.values.get('AuNu') === true && open.some((line) => !has(line, 'InId'));
  if (generated) {
    const n = ctx.nextNumber(`InId:${unId}`, { start: 0, sources: [] });
    invoiceId = `${ctx.options.invoicePrefix}${String(n).padStart(6, '0')}`;
  }
  for (const [index, line] of lines.entries()) {
    const own = toRow(line, LINE_COLUMNS);
    const lineNo = index + 1;
    ctx.insert('entries', {
      ...own,
      UnitId: unId,
      JournalId: str(header, 'JoCo') ?? null,
      EntryNo: entryNo,
      LineNo: lineNo,
      Year: header.values.get('Year') ?? null,
      Period: header.values.get('Peri') ?? null,
      InvoiceId: own.InvoiceId ?? (generated && str(line, 'VaAs') !== '1' ? (invoiceId ?? null) : null),
    });
    for (const dim of children(line, 'FiDimEntries')) {
      ctx.insert('dim_entries', {
        ...toRow(dim, { DiC1: 'DimAx1', DiC2: 'DimAx2', AmDe: 'AmountDebit', AmCr: 'AmountCredit' }),
        UnitId: unId,
        EntryNo: entryNo,
        LineNo: lineNo,
      });
    }
  }
  return { entryNo, invoiceId };
}

/** FiEntries: validates a whole FiEntryPar (administration, journal, periods, accounts, allocation, balance) and books it. */
export const FI_ENTRIES: Connector = {
  spec: FI_ENTRIES_SPEC,
  nestedDelete: ['FiEntries'],
  apply(ctx, header, mode) {
    const action = actionOf(header, mode.root);
    if (action !== 'insert') throw unsupportedAction(action, 'FiEntryPar');
    const unId = Number(header.values.get('UnId') ?? ctx.options.defaultAdministration);
    checkHeader(ctx, header, unId);
    const lines = children(header, 'FiEntries');
    if (lines.length === 0) throw noLines();
    for (const line of lines) {
      const lineAction = actionOf(line, mode.child('FiEntries'));
      if (lineAction !== 'insert') throw unsupportedAction(lineAction, 'FiEntries');
      checkLine(ctx, line, unId);
    }
    let result: Record<string, string> = {};
    for (const [given, group] of groupByEntry(lines)) {
      const { entryNo, invoiceId } = insertEntry(ctx, header, { unId, given, lines: group });
      result = { UnId: String(unId), EnNo: String(entryNo), ...(invoiceId ? { InId: invoiceId } : {}) };
    }
    return result;
  },
  remove(ctx, target: DeleteTarget) {
    const unId = Number(target.keys.UnId ?? ctx.options.defaultAdministration);
    const journal = target.keys.JoCo;
    const sub = target.sub;
    if (sub?.name !== 'FiEntries') {
      throw badDeletePath({
        nl: 'geef de journaalpost op met …/FiEntries/@EnNo/{nummer} of …/FiEntries/InId/{factuur}.',
        en: 'name the entry with …/FiEntries/@EnNo/{number} or …/FiEntries/InId/{invoice}.',
      });
    }
    const [key, value] = Object.entries(sub.keys)[0] ?? ['', ''];
    const column = key === 'EnNo' ? 'EntryNo' : key === 'InId' ? 'InvoiceId' : undefined;
    if (!column) throw badDeletePath({ nl: `onbekende sleutel '${key}'.`, en: `unknown key '${key}'.` });
    const wanted = column === 'EntryNo' ? Number(value) : value;
    const hits = ctx.find(
      'entries',
      (row) =>
        row.UnitId === unId &&
        (journal === undefined || String(row.JournalId) === journal) &&
        row[column] === wanted,
    );
    if (hits.length === 0) throw recordMissing(labelOf(LINES, key), value);
    const numbers = new Set(hits.map((row) => row.EntryNo));
    ctx.remove('entries', (row) => row.UnitId === unId && numbers.has(row.EntryNo ?? null));
    ctx.remove('dim_entries', (row) => row.UnitId === unId && numbers.has(row.EntryNo ?? null));
  },
};
