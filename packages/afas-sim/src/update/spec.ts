import type { Texts } from '../language.js';
import type { UpdateFieldMeta } from '../update-engine.js';

/** A code-table entry. `id` is the canonical (nl) code, stored in tables; `codes` holds the code other languages use. */
export interface CodeValue {
  id: string;
  codes?: { en?: string; fr?: string; de?: string };
  description: Texts;
}

/** A field of an update object, before localisation. */
export interface FieldSpec {
  id: string;
  dataType: UpdateFieldMeta['dataType'];
  label: Texts;
  length: number;
  /** Required on insert (POST), as AFAS publishes it. */
  mandatory?: boolean;
  /** Required on update (PUT), as AFAS publishes it. */
  mandatoryPut?: boolean;
  /**
   * What a connector plug-in enforces instead of `mandatory` on insert (its business rules):
   * false for fields Profit fills itself (BcId, a BcCo with AutoNum, booleans that default to false).
   */
  enforced?: boolean;
  primaryKey?: boolean;
  decimals?: number;
  notzero?: boolean;
  values?: CodeValue[];
  /** Overrides the derived controlType (5 code, 3 boolean, 4 date, 23 blob, 1 otherwise). */
  controlType?: number;
  /** A date field that also takes a time (`YYYY-MM-DDTHH:mm:ss`). */
  datetime?: boolean;
  /** Shown as `decimalFieldId` (recorded metainfo); default ''. */
  decimalFieldId?: string;
  /**
   * A field of the environment beyond AFAS's published ones (a free field such as `U1234ABCD` from a
   * seed or a recording): validated like any field, required when `mandatory` even by plug-ins, and
   * stored under its own id.
   */
  free?: boolean;
}

/** An update object (root or nested), before localisation. */
export interface ObjectSpec {
  name: string;
  fields: FieldSpec[];
  objects: ObjectSpec[];
  /** The object accepts one Element only (reference §3.2: sub-objects of KnPerson/KnOrganisation). */
  single?: boolean;
}

export interface ConnectorSpec extends ObjectSpec {
  id: string;
  description: Texts;
}

/** A field as f takes it: a FieldSpec whose label is a `[nl, en, fr?]` tuple. */
export interface FieldOptions extends Omit<FieldSpec, 'label'> {
  label: [nl: string, en: string, fr?: string];
}

/**
 * Builds a field:
 * `f({ id: 'LaNm', dataType: 'string', length: 80, label: ['Achternaam', 'Last name', 'Nom'], mandatory: true })`.
 */
export function f(options: FieldOptions): FieldSpec {
  const [nl, en, fr] = options.label;
  return { ...options, label: fr ? { nl, en, fr } : { nl, en } };
}

/** Finds a field of an object by id (exact case). */
export function fieldOf(spec: ObjectSpec, id: string): FieldSpec | undefined {
  return spec.fields.find((field) => field.id === id);
}
