/** The verbatim sales entry with VAT of reference §3.5 (OAS-fin example): one debtor line, revenue and VAT. */
export const SALES_WITH_VAT = {
  FiEntryPar: {
    Element: {
      Fields: { Year: '2024', Peri: '1', UnId: '1', JoCo: '20', AuNu: '1' },
      Objects: {
        FiEntries: {
          Element: [
            {
              Fields: {
                VaAs: '2',
                AcNr: '10004',
                EnDa: '2024-01-01',
                BpDa: '2024-01-01',
                AmDe: '12100',
                AmCr: '0',
                DaEx: '2024-02-01',
              },
            },
            {
              Fields: {
                VaAs: '1',
                AcNr: '8010',
                EnDa: '2024-01-01',
                BpDa: '2024-01-01',
                AmDe: '0',
                AmCr: '10000',
                VaId: '1',
              },
            },
            {
              Fields: {
                VaAs: '1',
                AcNr: '1510',
                EnDa: '2024-01-01',
                BpDa: '2024-01-01',
                AmDe: '0',
                AmCr: '2100',
                VaId: '1',
              },
            },
          ],
        },
      },
    },
  },
};
