import { ERROR_NUMBERS, ProfitFault } from './profit-fault.js';

/** The ProfitFaults the HTTP layer raises itself (reference §5.3 texts). */
export const faults = {
  unexpected: () =>
    new ProfitFault(
      { nl: 'Er is een onverwachte fout opgetreden.', en: 'An unexpected error has occurred.' },
      { errorNumber: ERROR_NUMBERS.unexpected },
    ),
  fieldNotFound: (field: string) =>
    new ProfitFault(
      { nl: `Connector-veld '${field}' niet gevonden`, en: `Connector field '${field}' not found` },
      { errorNumber: ERROR_NUMBERS.unexpected },
    ),
  getConnectorDenied: (status: number) =>
    new ProfitFault(
      {
        nl: 'GetConnector niet ondersteund voor deze app of de gebruiker is niet geautoriseerd',
        en: 'GetConnector not supported for this app or the user is not authorized',
      },
      { status },
    ),
  getConnectorBlocked: () =>
    new ProfitFault({
      nl: 'Deze GetConnector (definitie) is geblokkeerd',
      en: 'This GetConnector (definition) is blocked',
    }),
  updateConnectorDenied: () =>
    new ProfitFault({
      nl: 'General message: Deze UpdateConnector wordt niet ondersteund of de gebruiker is niet geautoriseerd.',
      en: 'General message: This UpdateConnector is not supported or the user is not authorized.',
    }),
  connectorDenied: () =>
    new ProfitFault({
      nl: 'Deze connector wordt niet ondersteund of de gebruiker is niet geautoriseerd.',
      en: 'This connector is not supported or the user is not authorized.',
    }),
  fileNotFound: () => new ProfitFault({ nl: 'Bestand niet gevonden', en: 'File not found' }, { status: 404 }),
  plainTextToken: (status: number) =>
    new ProfitFault(
      {
        nl: 'Het token moet base64-gecodeerd worden meegestuurd.',
        en: 'The token must be sent base64 encoded.',
      },
      { status },
    ),
  bookingLayoutLocked: () =>
    new ProfitFault({
      nl: 'De boekingslay-out is geblokkeerd door een andere gebruiker.',
      en: 'The booking layout is locked by another user.',
    }),
  rowLocked: (user: string) =>
    new ProfitFault({
      nl: `Deze regel is geblokkeerd door gebruiker ${user}.`,
      en: `This line is locked by user ${user}.`,
    }),
};
