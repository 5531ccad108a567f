import type { UpdateContext } from './context.js';
import type { Element } from './element.js';
import type { Action } from './normalize.js';
import type { ConnectorSpec } from './spec.js';

/** Default actions of a request: for the root elements and, by object name, for sub-objects. */
export interface Mode {
  root: Action;
  child(name: string): Action;
}

/** The relation a sub-object belongs to: its internal number (BcId) and the request's default actions. */
export interface Owner {
  bcId: number;
  mode: Mode;
}

/** Keys of a DELETE URL (§3.1): the root keys and, for a nested delete, the sub-element and its keys. */
export interface DeleteTarget {
  keys: Record<string, string>;
  sub?: { name: string; keys: Record<string, string> };
}

/** One UpdateConnector: its metainfo spec and how it applies elements and deletes. */
export interface Connector {
  spec: ConnectorSpec;
  /** Applies one root element (inside the transaction); returns the `results` keys, or undefined. */
  apply(ctx: UpdateContext, element: Element, mode: Mode): Record<string, string> | undefined;
  /** Sub-objects a nested DELETE URL may name (reference §3.1, e.g. FiEntries lines); default none. */
  nestedDelete?: readonly string[];
  /** Applies a DELETE by URL keys; throws a ProfitFault when nothing matches. */
  remove(ctx: UpdateContext, target: DeleteTarget): void;
}

/** The action of an element: its own `@Action`, else the default. */
export const actionOf = (element: Element, fallback: Action): Action => element.action ?? fallback;

/** Mode for nested objects: everything below inherits one action. */
export const uniform = (action: Action): Mode => ({ root: action, child: () => action });
