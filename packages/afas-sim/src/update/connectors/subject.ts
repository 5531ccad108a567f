import type { Row } from '../../db.js';
import { actionOf, type Connector, type Mode } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { bool, children, type Element, has, labelOf, requireMandatory, str } from '../element.js';
import { doesNotExist, duplicateKey, recordMissing, unsupportedAction } from '../messages.js';
import { f, type ObjectSpec } from '../spec.js';

const SB_ID = f({
  id: 'SbId',
  dataType: 'int',
  length: 10,
  label: ['Dossieritem', 'Subject', 'Élément de dossier'],
  primaryKey: true,
});

const LINK: ObjectSpec = {
  name: 'KnSubjectLink',
  single: true,
  objects: [],
  fields: [
    f({
      id: 'DoCRM',
      dataType: 'boolean',
      length: 1,
      label: ['Opslaan in CRM-dossier', 'Save in CRM file', 'Enregistrer dans le dossier CRM'],
    }),
    f({
      id: 'ToBC',
      dataType: 'boolean',
      length: 1,
      label: [
        'Koppelen aan organisatie/persoon',
        'Link to organisation/person',
        "Lier à l'organisation/la personne",
      ],
    }),
    f({
      id: 'BcId',
      dataType: 'string',
      length: 15,
      label: ['Organisatie/persoon', 'Organisation/person', 'Organisation/personne'],
    }),
    f({
      id: 'ToSR',
      dataType: 'boolean',
      length: 1,
      label: ['Koppelen aan verkooprelatie', 'Link to sales relation', 'Lier à la relation de vente'],
    }),
    f({
      id: 'ToEm',
      dataType: 'boolean',
      length: 1,
      label: ['Koppelen aan medewerker', 'Link to employee', "Lier à l'employé"],
    }),
    f({ id: 'EmId', dataType: 'string', length: 15, label: ['Medewerker', 'Employee', 'Employé'] }),
    f({
      id: 'ToPR',
      dataType: 'boolean',
      length: 1,
      label: ['Koppelen aan project', 'Link to project', 'Lier au projet'],
    }),
    f({ id: 'PjId', dataType: 'string', length: 15, label: ['Project', 'Project', 'Projet'] }),
    f({
      id: 'SfTp',
      dataType: 'int',
      length: 10,
      label: ['Type bestemming', 'Destination type', 'Type de destination'],
    }),
    f({ id: 'SfId', dataType: 'string', length: 20, label: ['Bestemming', 'Destination', 'Destination'] }),
    f({
      id: 'SiUn',
      dataType: 'int',
      length: 3,
      label: [
        'Administratie verkoopfactuur',
        'Sales invoice administration',
        'Administration facture de vente',
      ],
    }),
    f({
      id: 'SiTp',
      dataType: 'int',
      length: 3,
      label: ['Type verkoopfactuur', 'Sales invoice type', 'Type de facture de vente'],
    }),
    f({
      id: 'SiId',
      dataType: 'string',
      length: 12,
      label: ['Verkoopfactuur', 'Sales invoice', 'Facture de vente'],
    }),
    f({
      id: 'PiUn',
      dataType: 'int',
      length: 3,
      label: [
        'Administratie inkoopfactuur',
        'Purchase invoice administration',
        "Administration facture d'achat",
      ],
    }),
    f({
      id: 'PiTp',
      dataType: 'int',
      length: 3,
      label: ['Type inkoopfactuur', 'Purchase invoice type', "Type de facture d'achat"],
    }),
    f({
      id: 'PiId',
      dataType: 'string',
      length: 12,
      label: ['Inkoopfactuur', 'Purchase invoice', "Facture d'achat"],
    }),
    f({
      id: 'CcSn',
      dataType: 'int',
      length: 10,
      label: ['Volgnummer vervoermiddel', 'Vehicle sequence number', 'Numéro du véhicule'],
    }),
  ],
};

const ATTACHMENT: ObjectSpec = {
  name: 'KnSubjectAttachment',
  objects: [],
  fields: [
    f({
      id: 'FileName',
      dataType: 'string',
      length: 255,
      label: ['Bestandsnaam', 'File name', 'Nom du fichier'],
      mandatory: true,
    }),
    f({
      id: 'FileStream',
      dataType: 'blob',
      length: 0,
      label: ['Bestand', 'File', 'Fichier'],
      mandatory: true,
    }),
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

/** The subject attachments belong to (`sbId`) and the request's default actions. */
interface AttachmentOwner {
  sbId: number;
  mode: Mode;
}

function applyAttachments(ctx: UpdateContext, subject: Element, { sbId, mode }: AttachmentOwner): void {
  for (const element of children(subject, 'KnSubjectAttachment')) {
    const action = actionOf(element, mode.child('KnSubjectAttachment'));
    if (action === 'delete') throw unsupportedAction(action, 'KnSubjectAttachment');
    requireMandatory(element);
    const fileName = str(element, 'FileName') ?? '';
    const n = ctx.nextNumber('FileId', { start: 0, sources: [] });
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
      f({
        id: 'StId',
        dataType: 'int',
        length: 10,
        label: ['Type dossieritem', 'Subject type', "Type d'élément de dossier"],
        mandatory: true,
      }),
      f({ id: 'Ds', dataType: 'string', length: 255, label: ['Onderwerp', 'Subject', 'Objet'] }),
      f({
        id: 'SbTx',
        dataType: 'string',
        length: 0,
        label: ['Toelichting', 'Explanation', 'Explication'],
        controlType: 23,
      }),
      f({ id: 'Da', dataType: 'date', length: 10, label: ['Datum', 'Date', 'Date'], datetime: true }),
      f({
        id: 'EmId',
        dataType: 'string',
        length: 15,
        label: ['Verantwoordelijke', 'Responsible', 'Responsable'],
      }),
      f({ id: 'St', dataType: 'boolean', length: 1, label: ['Afgehandeld', 'Done', 'Terminé'] }),
      f({ id: 'FvF1', dataType: 'int', length: 10, label: ['Kenmerk 1', 'Feature 1', 'Caractéristique 1'] }),
      f({ id: 'FvF2', dataType: 'int', length: 10, label: ['Kenmerk 2', 'Feature 2', 'Caractéristique 2'] }),
      f({ id: 'FvF3', dataType: 'int', length: 10, label: ['Kenmerk 3', 'Feature 3', 'Caractéristique 3'] }),
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
      applyAttachments(ctx, element, { sbId: Number(given), mode });
      return { SbId: String(given) };
    }
    requireMandatory(element);
    if (has(element, 'SbId') && ctx.lookup('subjects', 'SbId', given ?? null).length > 0)
      throw duplicateKey(SB_ID.label);
    const sbId = has(element, 'SbId')
      ? Number(given)
      : ctx.nextNumber('SbId', { start: 0, sources: [['subjects', 'SbId']] });
    ctx.insert('subjects', { ...changes, SbId: sbId });
    applyAttachments(ctx, element, { sbId, mode: { root: 'insert', child: () => 'insert' } });
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
