/**
 * Headers of Excel and legacy exports that AFAS labels do not spell out, folded (lower case, only
 * letters and digits), each with the fields it means in order of preference. A target is a field
 * id (any object that has it) or `Object/FieldId` (only in that object). Checked against the
 * connectors' facts (shared/reference/afas-oas/update-connectors.json): KnPerson, KnOrganisation,
 * KnSalesRelationPer/Org and FiEntries.
 */
const GROUPS: readonly (readonly [targets: readonly string[], headers: readonly string[]])[] = [
  // persons and organisations
  [['Is'], ['tussenvoegsel', 'tussenvoegsels', 'tussenv', 'voorvoegsel', 'voorv', 'prefix', 'infix', 'tv']],
  [['FiNm'], ['voornaam', 'voornamen', 'voorn', 'firstname', 'givenname', 'fname', 'vnaam']],
  [['LaNm'], ['achternaam', 'lastname', 'surname', 'familienaam', 'anaam', 'familyname']],
  [['In'], ['voorletters', 'voorletter', 'initialen', 'initials', 'vl']],
  [['CaNm'], ['roepnaam', 'nickname']],
  [['ViGe'], ['geslacht', 'gender', 'sex']],
  [['DaBi'], ['geboortedatum', 'gebdatum', 'gebdat', 'geboren', 'birthdate', 'dateofbirth', 'dob']],
  [['EmAd'], ['email', 'emailadres', 'mail', 'mailadres', 'emailaddress', 'emailwerk', 'workemail']],
  [['EmA2'], ['emailprive', 'priveemail', 'privatemail', 'personalemail']],
  [
    ['TeNr'],
    ['telefoon', 'telefoonnummer', 'telefoonnr', 'tel', 'telnr', 'phone', 'phonenumber', 'telephone'],
  ],
  [['MbNr'], ['mobiel', 'mobielnummer', 'mobielnr', 'mobile', 'mobilephone', 'gsm']],
  [['HoPa'], ['website', 'url', 'homepage', 'www', 'internet']],
  [['SoSe'], ['bsn', 'burgerservicenummer', 'sofinummer']],
  [['CcNr'], ['kvk', 'kvknummer', 'kvknr', 'coc', 'cocnumber', 'chamberofcommerce']],
  [
    ['Nm'],
    [
      'bedrijfsnaam',
      'bedrijf',
      'organisatie',
      'organisatienaam',
      'firmanaam',
      'naambedrijf',
      'company',
      'companyname',
      'organisation',
      'organization',
      'organisationname',
    ],
  ],
  [
    ['DbId', 'BcCo'],
    [
      'debiteur',
      'debiteurnummer',
      'debiteurnr',
      'debiteurcode',
      'debnr',
      'debtor',
      'debtornumber',
      'debtorno',
    ],
  ],
  [
    ['BcCo'],
    [
      'klantnummer',
      'klantnr',
      'klnr',
      'lidnummer',
      'lidnr',
      'klantcode',
      'relatienummer',
      'relatienr',
      'relatiecode',
      'persoonsnummer',
      'persoonnummer',
      'organisatienummer',
      'customernumber',
      'customerno',
      'customerid',
      'personnumber',
      'personno',
    ],
  ],
  [
    ['Re', 'Rm'],
    ['opmerking', 'opmerkingen', 'notitie', 'notities', 'remark', 'remarks', 'notes'],
  ],
  // addresses
  [['Ad'], ['straat', 'straatnaam', 'street', 'streetname']],
  [['HmNr'], ['huisnummer', 'huisnr', 'hnr', 'housenumber', 'houseno', 'housenr']],
  [
    ['HmAd'],
    [
      'huisnummertoevoeging',
      'huisnrtoevoeging',
      'huisnrtoev',
      'toevoeging',
      'toev',
      'toevhuisnr',
      'housenumbersuffix',
      'housenumberaddition',
      'suffix',
    ],
  ],
  [['ZpCd'], ['postcode', 'zip', 'zipcode', 'postalcode', 'pc']],
  [
    ['Rs'],
    ['plaats', 'woonplaats', 'stad', 'city', 'town', 'residence', 'plaatsnaam', 'vestigingsplaats', 'woonpl'],
  ],
  [['KnBasicAddressAdr/CoId'], ['land', 'landcode', 'country', 'countrycode']],
  [['Iban'], ['iban', 'ibannummer', 'ibannr']],
  [['Bic'], ['bic', 'biccode', 'swift']],
  // journal entries
  [
    ['AcNr'],
    [
      'grootboek',
      'grootboekrekening',
      'grootboeknummer',
      'grootboeknr',
      'gbrekening',
      'rekening',
      'rekeningnr',
      'glaccount',
      'ledger',
      'ledgeraccount',
      'account',
      'accountnumber',
    ],
  ],
  [['EnDa'], ['boekdatum', 'boekingsdatum', 'datumboeking', 'datum', 'entrydate', 'bookingdate', 'date']],
  [['BpDa'], ['boekstukdatum', 'documentdatum', 'voucherdate']],
  [['BpNr'], ['boekstuk', 'boekstuknummer', 'boekstuknr', 'voucher', 'vouchernumber', 'voucherno']],
  [['InId'], ['factuurnummer', 'factuurnr', 'factuur', 'invoice', 'invoicenumber', 'invoiceno']],
  [['Ds'], ['omschrijving', 'oms', 'description', 'omschrijvingboeking', 'boekingsomschrijving']],
  [['AmDe'], ['debet', 'debit', 'bedragdebet', 'debetbedrag', 'amountdebit']],
  [['AmCr'], ['credit', 'bedragcredit', 'creditbedrag', 'amountcredit']],
  [['VaId'], ['btw', 'btwcode', 'vat', 'vatcode', 'taxcode']],
  [['JoCo'], ['dagboek', 'dagboekcode', 'journal', 'journalcode', 'dgb']],
  [['Year'], ['boekjaar', 'jaar', 'year', 'fiscalyear', 'financialyear']],
  [['Peri'], ['periode', 'period', 'per', 'boekperiode']],
  [['CuId'], ['valuta', 'valutacode', 'currency', 'currencycode']],
  [['DaEx'], ['vervaldatum', 'duedate']],
  [['UnId'], ['administratie', 'administratienummer', 'administration']],
];

/** Folded header -> targets. */
export const COLUMN_SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map(
  GROUPS.flatMap(([targets, headers]) => headers.map((header) => [header, targets] as const)),
);
