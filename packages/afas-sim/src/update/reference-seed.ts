import type { SimDatabase } from '../db.js';

/**
 * A small finance setup the UpdateConnectors validate against: administration 1, journals 20
 * (sales) and 70 (memorial), ledger accounts (8074 needs a cost centre, 4000 posts to projects),
 * VAT codes, the 12 periods of 2024 (period 11 blocked), cost centres KPL01 and K1 and cost unit
 * KD01, two debtors and a creditor.
 */
export function seedReferenceData(db: SimDatabase): void {
  db.seed('administrations', [{ AdminId: 1, AdminNm: 'Koppel BV', AdminCd: 'KOP' }]);
  db.seed('journals', [
    { UnitId: 1, JournalId: '20', Description: 'Verkoopboek' },
    { UnitId: 1, JournalId: '70', Description: 'Memoriaal' },
    { UnitId: 1, JournalId: '73', Description: 'Memoriaal 2' },
  ]);
  // The third argument: AccountType ('B' balance, 'W' profit and loss) and any column that differs from the defaults.
  const account = (
    nr: string,
    description: string,
    { AccountType, ...extra }: { AccountType: string } & Record<string, string | boolean>,
  ) => ({
    UnitId: 1,
    AccountNr: nr,
    Description: description,
    AccountType,
    DimAx1: null,
    DimAx2: null,
    ToProject: false,
    Blocked: false,
    ...extra,
  });
  db.seed('accounts', [
    account('1510', 'Af te dragen btw hoog', { AccountType: 'B' }),
    account('1300', 'Debiteuren', { AccountType: 'B' }),
    account('1600', 'Crediteuren', { AccountType: 'B' }),
    account('8010', 'Omzet hoog', { AccountType: 'W' }),
    account('8074', 'Omzet diensten', { AccountType: 'W', DimAx1: 'KPL' }),
    account('4000', 'Projectkosten', { AccountType: 'W', ToProject: true }),
  ]);
  db.seed('vat_codes', [
    { VatCode: '1', Description: 'Btw hoog', Percentage: 21 },
    { VatCode: '2', Description: 'Btw laag', Percentage: 9 },
    { VatCode: '0', Description: 'Geen btw', Percentage: 0 },
  ]);
  db.seed(
    'periods',
    Array.from({ length: 12 }, (_, index) => {
      const month = String(index + 1).padStart(2, '0');
      const last = new Date(Date.UTC(2024, index + 1, 0)).getUTCDate();
      return {
        UnitId: 1,
        Year: 2024,
        Period: index + 1,
        StartDate: `2024-${month}-01`,
        EndDate: `2024-${month}-${last}`,
        Blocked: index + 1 === 11,
      };
    }),
  );
  db.seed('cost_centres', [
    { UnitId: 1, Axis: 1, Code: 'KPL01', Description: 'Verkoop' },
    { UnitId: 1, Axis: 1, Code: 'K1', Description: 'Kostenplaats 1' },
    { UnitId: 1, Axis: 2, Code: 'KD01', Description: 'Kostendrager 1' },
  ]);
  db.seed('debtors', [
    { DebtorId: '10004', DebtorName: 'Jansen BV', BcCo: '1000812', CurrencyId: 'EUR', InvoiceChannel: 'E' },
    { DebtorId: '10005', DebtorName: 'De Vries', BcCo: '1000813', CurrencyId: 'EUR', InvoiceChannel: 'P' },
  ]);
  db.seed('creditors', [{ CreditorId: '50022', CreditorName: 'Leverancier NV', BcCo: '1000900' }]);
}
