import type { Row } from '../../db.js';
import { actionOf, type Connector, type Mode } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { bool, children, type Element, has, labelOf, requireMandatory, str } from '../element.js';
import { doesNotExist, duplicateKey, recordMissing, unsupportedAction } from '../messages.js';
import { f, type ObjectSpec } from '../spec.js';

const SB_ID = f('SbId', 'int', 10, ['Dossieritem', 'Subject', 'Élément de dossier'], { primaryKey: true });

const LINK: ObjectSpec = {
  name: 'KnSubjectLink',
  single: true,
  objects: [],
  fields: [
    f('DoCRM', 'boolean', 1, [
      'Opslaan in CRM-dossier',
      'Save in CRM file',
      'Enregistrer dans le dossier CRM',
    ]),
    f('ToBC', 'boolean', 1, [
      'Koppelen aan organisatie/persoon',
      'Link to organisation/person',
      "Lier à l'organisation/la personne",
    ]),
    f('BcId', 'string', 15, ['Organisatie/persoon', 'Organisation/person', 'Organisation/personne']),
    f('ToSR', 'boolean', 1, [
      'Koppelen aan verkooprelatie',
      'Link to sales relation',
      'Lier à la relation de vente',
    ]),
    f('ToEm', 'boolean', 1, ['Koppelen aan medewerker', 'Link to employee', "Lier à l'employé"]),
    f('EmId', 'string', 15, ['Medewerker', 'Employee', 'Employé']),
    f('ToPR', 'boolean', 1, ['Koppelen aan project', 'Link to project', 'Lier au projet']),
    f('PjId', 'string', 15, ['Project', 'Project', 'Projet']),
    f('SfTp', 'int', 10, ['Type bestemming', 'Destination type', 'Type de destination']),
    f('SfId', 'string', 20, ['Bestemming', 'Destination', 'Destination']),
    f('SiUn', 'int', 3, [
      'Administratie verkoopfactuur',
      'Sales invoice administration',
      'Administration facture de vente',
    ]),
    f('SiTp', 'int', 3, ['Type verkoopfactuur', 'Sales invoice type', 'Type de facture de vente']),
    f('SiId', 'string', 12, ['Verkoopfactuur', 'Sales invoice', 'Facture de vente']),
    f('PiUn', 'int', 3, [
      'Administratie inkoopfactuur',
      'Purchase invoice administration',
      "Administration facture d'achat",
    ]),
    f('PiTp', 'int', 3, ['Type inkoopfactuur', 'Purchase invoice type', "Type de facture d'achat"]),
    f('PiId', 'string', 12, ['Inkoopfactuur', 'Purchase invoice', "Facture d'achat"]),
    f('CcSn', 'int', 10, ['Volgnummer vervoermiddel', 'Vehicle sequence number', 'Numéro du véhicule']),
  ],
};

const ATTACHMENT: ObjectSpec = {
  name: 'KnSubjectAttachment',
  objects: [],
  fields: [
    f('FileName', 'string', 255, ['Bestandsnaam', 'File name', 'Nom du fichier'], { mandatory: true }),
    f('FileStream', 'blob', 0, ['Bestand', 'File', 'Fichier'], { mandatory: true }),
  ],
};

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  txt: 'text/plain',
  csv: 'text/csv',
  xml: 'application/xml',
  json: 'application/json',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

const mimeOf = (fileName: string): string =>
  MIME[fileName.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

/** The internal BcId a KnSubjectLink points at: `BcId` is an organisation/person number, or a debtor with ToSR. */
function linkedBcId(ctx: UpdateContext, link: Element): number | null {
  const code = str(link, 'BcId');
  if (code === undefined || (!bool(link, 'ToBC') && !bool(link, 'ToSR'))) return null;
  let bcCo: unknown = code;
  if (bool(link, 'ToSR') && !bool(link, 'ToBC')) {
    bcCo = ctx.lookup('debtors', 'DebtorId', code)[0]?.BcCo;
  }
  const same = (row: Row) => bcCo !== undefined && row.BcCo === bcCo;
  const [owner] =
    bcCo === undefined || bcCo === null
      ? []
      : [
          ...ctx.lookup('organisations', 'BcCo', bcCo as string),
          ...ctx.lookup('persons', 'BcCo', bcCo as string),
        ].filter(same);
  if (!owner) {
    if (ctx.options.openReferences) return null;
    throw doesNotExist(labelOf(link.spec, 'BcId'));
  }
  return Number(owner.BcId);
}

function applyAttachments(ctx: UpdateContext, subject: Element, sbId: number, mode: Mode): void {
  for (const element of children(subject, 'KnSubjectAttachment')) {
    const action = actionOf(element, mode.child('KnSubjectAttachment'));
    if (action === 'delete') throw unsupportedAction(action, 'KnSubjectAttachment');
    requireMandatory(element);
    const fileName = str(element, 'FileName') ?? '';
    const n = ctx.nextNumber('FileId', 0, []);
    ctx.insert('subject_attachments', {
      SbId: sbId,
      FileId: n.toString(16).toUpperCase().padStart(32, '0'),
      FileName: fileName,
      MimeType: mimeOf(fileName),
      Data: str(element, 'FileStream') ?? null,
    });
  }
}

/** KnSubject: a dossier item (`@SbId`) with its link and attachments (reference §3.5, §6). */
export const KN_SUBJECT: Connector = {
  spec: {
    id: 'KnSubject',
    name: 'KnSubject',
    description: { nl: 'Dossieritem', en: 'Subject', fr: 'Élément de dossier' },
    objects: [LINK, ATTACHMENT],
    fields: [
      SB_ID,
      f('StId', 'int', 10, ['Type dossieritem', 'Subject type', "Type d'élément de dossier"], {
        mandatory: true,
      }),
      f('Ds', 'string', 255, ['Onderwerp', 'Subject', 'Objet']),
      f('SbTx', 'string', 0, ['Toelichting', 'Explanation', 'Explication'], { controlType: 23 }),
      f('Da', 'date', 10, ['Datum', 'Date', 'Date'], { datetime: true }),
      f('EmId', 'string', 15, ['Verantwoordelijke', 'Responsible', 'Responsable']),
      f('St', 'boolean', 1, ['Afgehandeld', 'Done', 'Terminé']),
      f('FvF1', 'int', 10, ['Kenmerk 1', 'Feature 1', 'Caractéristique 1']),
      f('FvF2', 'int', 10, ['Kenmerk 2', 'Feature 2', 'Caractéristique 2']),
      f('FvF3', 'int', 10, ['Kenmerk 3', 'Feature 3', 'Caractéristique 3']),
    ],
  },
  apply(ctx, element, mode) {
    const action = actionOf(element, mode.root);
    const given = element.values.get('SbId');
    const mine = (row: Row) => row.SbId === given;
    if (action === 'delete') {
      this.remove(ctx, { keys: { SbId: String(given ?? '') } });
      return undefined;
    }
    const [link] = children(element, 'KnSubjectLink');
    const bcId = link ? linkedBcId(ctx, link) : null;
    const changes: Row = {};
    if (element.values.has('StId')) changes.SubjectType = element.values.get('StId') ?? null;
    if (element.values.has('Ds')) changes.Description = element.values.get('Ds') ?? null;
    if (link && bcId !== null) changes.BcId = bcId;
    if (action === 'update') {
      if (given == null || ctx.lookup('subjects', 'SbId', given).length === 0)
        throw recordMissing(SB_ID.label, String(given ?? ''));
      ctx.update('subjects', mine, changes);
      applyAttachments(ctx, element, Number(given), mode);
      return { SbId: String(given) };
    }
    requireMandatory(element);
    if (has(element, 'SbId') && ctx.lookup('subjects', 'SbId', given ?? null).length > 0)
      throw duplicateKey(SB_ID.label);
    const sbId = has(element, 'SbId') ? Number(given) : ctx.nextNumber('SbId', 0, [['subjects', 'SbId']]);
    ctx.insert('subjects', { ...changes, SbId: sbId });
    applyAttachments(ctx, element, sbId, { root: 'insert', child: () => 'insert' });
    return { SbId: String(sbId) };
  },
  remove(ctx, target) {
    const sbId = Number(target.keys.SbId);
    if (ctx.remove('subjects', (row) => row.SbId === sbId).length === 0) {
      throw recordMissing(SB_ID.label, target.keys.SbId ?? '');
    }
    ctx.remove('subject_attachments', (row) => row.SbId === sbId);
  },
};
