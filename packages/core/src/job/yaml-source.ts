import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { JobProblem } from './errors.js';
import { inexactNumber } from './exact-number.js';

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
      let message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
      if (error.code === 'DUPLICATE_KEY') {
        const key = /^[^:\s]+/.exec(text.slice(error.pos[0]))?.[0] ?? '';
        message = `key \`${key}\` appears twice in the same mapping; remove one`;
      }
      this.problems.push(this.problemAt(error.pos[0], `invalid YAML: ${message}`));
    }
    if (this.doc.errors.length === 0) {
      this.#rejectTags(text);
      this.#rejectInexactNumbers();
    }
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
    return this.doc.toJS({ maxAliasCount: 100 });
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
