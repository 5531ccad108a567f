import {
  type Alias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
  type YAMLError,
} from 'yaml';
import { JobInvalidError, type JobProblem } from './errors.js';
import { inexactNumber } from './exact-number.js';
import { excerpt } from './excerpt.js';

/** Most uses of anchors a document may expand (YAML `maxAliasCount`); more is refused with its position. */
export const MAX_ALIAS_COUNT = 100;

/** Deepest nesting of mappings and sequences a file may have. */
export const MAX_DEPTH = 64;

/** A path into a parsed YAML document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/** A YAML file parsed with source positions, so every problem can name its file:line:col. */
export class YamlSource {
  readonly file: string;
  readonly doc: ReturnType<typeof parseDocument>;
  readonly problems: JobProblem[] = [];
  readonly #lines = new LineCounter();

  constructor(file: string, text: string) {
    this.file = file;
    this.doc = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
    // Only the first syntax error: the rest are usually its echoes.
    for (const error of this.doc.errors.slice(0, 1)) {
      // Where the parser ran out of stack varies with the stack size: name the first bracket too deep instead.
      const at = error.code === 'RESOURCE_EXHAUSTION' ? (tooDeepBracket(text) ?? error.pos[0]) : error.pos[0];
      this.problems.push(this.problemAt(at, yamlErrorMessage(error, text)));
    }
    if (this.doc.errors.length === 0) this.#rejectDeepNesting();
    if (this.doc.errors.length === 0 && this.problems.length === 0) {
      this.#rejectTags(text);
      this.#rejectInexactNumbers();
    }
  }

  /** True when the document could not be parsed (syntax, several documents, nesting): nothing else can be checked. */
  get unusable(): boolean {
    return (
      this.doc.errors.length > 0 ||
      this.problems.some((problem) => problem.message.startsWith('invalid YAML'))
    );
  }

  /** A problem at a character offset. */
  problemAt(offset: number, message: string): JobProblem {
    const { line, col } = this.#lines.linePos(offset);
    return { file: this.file, line, col, message };
  }

  /** A problem at the node a path points to (its key when `at` is 'key'), or its closest ancestor. */
  problem(path: DocPath, message: string, at: 'key' | 'value' = 'value'): JobProblem {
    return this.problemAt(this.offsetOf(path, at), message);
  }

  /** Character offset of the node at `path`; the deepest existing ancestor when it is missing. */
  offsetOf(path: DocPath, at: 'key' | 'value' = 'value'): number {
    let node: unknown = this.doc.contents;
    let offset = nodeStart(node);
    for (let index = 0; index < path.length; index++) {
      const segment = path[index];
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) return offset;
        const last = index === path.length - 1;
        if (last && at === 'key') return nodeStart(pair.key);
        node = pair.value;
        offset = isNode(pair.value) ? nodeStart(pair.value) : nodeStart(pair.key);
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (!isNode(node)) return offset;
        offset = nodeStart(node);
      } else {
        return offset;
      }
    }
    return offset;
  }

  /** The plain JavaScript value of the document (after interpolation). */
  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      if (!(error instanceof ReferenceError) && !(error instanceof RangeError)) throw error;
      throw new JobInvalidError([this.#aliasProblem(error)], { cause: error });
    }
  }

  /** Where alias expansion failed: too many aliases (a "billion laughs" file), an unknown anchor, or too deep. */
  #aliasProblem(error: Error): JobProblem {
    const missing = /^Unresolved alias[^:]*: (.*)$/.exec(error.message)?.[1];
    let first: Alias | undefined;
    visit(this.doc, {
      Alias: (_key, node) => {
        if (missing === undefined || node.source === missing) {
          first = node;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (missing !== undefined) {
      const name = excerpt(missing);
      return this.problemAt(
        nodeStart(first),
        `invalid YAML: alias \`*${name}\` names no anchor before it; define \`&${name}\` first`,
      );
    }
    const excessive = /alias count|resource exhaustion/i.test(error.message);
    return this.problemAt(
      nodeStart(first),
      excessive
        ? `invalid YAML: aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} uses of an anchor); write the values out instead of nesting aliases`
        : 'invalid YAML: aliases nest too deeply to expand; write the values out',
    );
  }

  /** Nesting deeper than a job ever needs is refused at the first node beyond the limit (no stack overflow later). */
  #rejectDeepNesting(): void {
    const stack: { node: unknown; depth: number }[] = [{ node: this.doc.contents, depth: 1 }];
    while (stack.length) {
      const { node, depth } = stack.pop() as { node: unknown; depth: number };
      if (!isMap(node) && !isSeq(node)) continue;
      if (depth > MAX_DEPTH) {
        this.problems.push(
          this.problemAt(
            nodeStart(node),
            `invalid YAML: nesting is deeper than ${MAX_DEPTH} levels here; a job needs far fewer, check the brackets and indentation`,
          ),
        );
        return;
      }
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
        } else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }

  /** A number that a JavaScript number cannot hold exactly would change on its way to AFAS: ask for quotes. */
  #rejectInexactNumbers(): void {
    visit(this.doc, {
      Scalar: (_key, node) => {
        if (typeof node.value !== 'number' || node.source === undefined) return;
        const becomes = inexactNumber(node.source, node.value);
        if (becomes === undefined) return;
        this.problems.push(
          this.problemAt(
            nodeStart(node),
            `the number ${node.source} cannot be kept exactly (it would become ${becomes}); quote it: "${node.source}"`,
          ),
        );
      },
    });
  }

  /** Explicit tags (`!secret x`, `!!str 1`) have no meaning in a job: reject them where they stand. */
  #rejectTags(text: string): void {
    visit(this.doc, (_key, node) => {
      if (isPair(node) || !isNode(node)) return;
      const tag = (node as Node).tag;
      if (tag === undefined) return;
      const start = nodeStart(node);
      let tagOffset = text.lastIndexOf('!', start);
      while (tagOffset > 0 && /[^\s,[\]{}:]/.test(text[tagOffset - 1] ?? ' ')) tagOffset--;
      const written = tagOffset >= 0 ? (text.slice(tagOffset).split(/\s/)[0] ?? tag) : tag;
      this.problems.push(
        this.problemAt(
          tagOffset >= 0 ? tagOffset : start,
          `YAML tag \`${written}\` is not supported; write the plain value (use \${VAR} for environment variables)`,
        ),
      );
    });
  }
}

function nodeStart(node: unknown): number {
  return isNode(node) && node.range ? node.range[0] : 0;
}

/**
 * Offset of the first `[` or `{` opening a flow collection deeper than MAX_DEPTH, skipping quoted
 * scalars and comments; undefined when there is none.
 */
function tooDeepBracket(text: string): number | undefined {
  let depth = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '[' || char === '{') {
      if (++depth >= MAX_DEPTH) return at;
    } else if (char === ']' || char === '}') {
      depth = Math.max(0, depth - 1);
    } else if (char === '"') {
      while (++at < text.length && text[at] !== '"') if (text[at] === '\\') at++;
    } else if (char === "'") {
      while (++at < text.length && text[at] !== "'");
    } else if (char === '#' && (at === 0 || /\s/.test(text[at - 1] ?? ''))) {
      while (at < text.length && text[at] !== '\n') at++;
    }
  }
  return undefined;
}

/**
 * One line for a syntax error of the YAML library: its own wording without the position it
 * appends or the API advice it gives, the cases users meet in words of their own, and never more
 * than a short excerpt of the file.
 */
function yamlErrorMessage(error: YAMLError, text: string): string {
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = /^[^:\s]+/.exec(text.slice(error.pos[0], error.pos[0] + 200))?.[0] ?? '';
      return `invalid YAML: key \`${excerpt(key)}\` appears twice in the same mapping; remove one`;
    }
    case 'MULTIPLE_DOCS':
      return 'invalid YAML: the file holds more than one YAML document (a `---` or `...` line); keep one document per file';
    case 'RESOURCE_EXHAUSTION':
      return `invalid YAML: nesting is too deep to read here (more than ${MAX_DEPTH} levels); check the brackets and indentation`;
    default: {
      const first = error.message.split('\n')[0] ?? error.message;
      const own = first
        .replace(/ at line \d+, column \d+:?$/, '')
        .replace(/;?\s*please use [^;]*$/i, '')
        .replace(/YAML\.\w+\(\)/g, 'the parser');
      return `invalid YAML: ${excerpt(own, 160)}`;
    }
  }
}
