import { rename, writeFile } from 'node:fs/promises';
import { type Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import { project } from './json-diff.js';
import type { ExpectedReject, JobTestCase, JobTestFile } from './load-test-file.js';
import type { CaseOutcome } from './run-job-tests.js';

/**
 * Rewrites the `expect:` of the given cases in the test file to what they produced (`koppel test
 * --update`), editing the YAML document in place: unchanged values keep their comments and
 * style, and the rest of the file stays as written. A partial case keeps its shape (only the
 * fields it names get the new values); a reject whose key and message still match is kept as
 * written, any other becomes `{ key, exact }`. The file is replaced atomically.
 */
export async function updateTestFile(
  test: JobTestFile,
  outcomes: ReadonlyMap<JobTestCase, CaseOutcome>,
): Promise<void> {
  const doc = test.source.doc;
  for (const [item, outcome] of outcomes) {
    const expect = doc.getIn(['cases', item.index, 'expect'], true);
    if (!isMap(expect)) continue;
    const requests =
      item.match === 'partial'
        ? [
            ...(project(outcome.requests, item.requests) as unknown[]),
            ...outcome.requests.slice(item.requests.length),
          ]
        : outcome.requests;
    setLists(doc, expect, {
      requests,
      rejects: outcome.rejects.map((got, i) => {
        const want = item.rejects[i];
        return want && want.key === got.key && stillMatches(want, got.message)
          ? want
          : { key: got.key, exact: got.message };
      }),
    });
  }
  const temporary = `${test.file}.${process.pid}.tmp`;
  await writeFile(temporary, doc.toString({ lineWidth: 0 }));
  await rename(temporary, test.file);
}

const stillMatches = (want: ExpectedReject, message: string): boolean =>
  want.exact !== undefined ? want.exact === message : message.includes(want.message ?? '');

/**
 * Sets each key of the expect map to its list, in order, or removes it when the list is empty
 * (left out means empty).
 */
function setLists(doc: Document, map: Node, lists: Readonly<Record<string, readonly unknown[]>>): void {
  if (!isMap(map)) return;
  for (const [key, list] of Object.entries(lists)) {
    if (list.length === 0) {
      map.delete(key);
      continue;
    }
    const current = map.get(key, true) as Node | undefined;
    // `expect: {}` of a new case: written out as a block, not one long flow line.
    if (current === undefined && map.flow && map.items.length === 0) map.flow = false;
    map.set(key, current === undefined ? doc.createNode(list) : sync(doc, current, list));
  }
}

/** `node` edited to hold `value`, reusing every node whose value stays (and its comment). */
function sync(doc: Document, node: unknown, value: unknown): unknown {
  if (isMap(node) && isPlainObject(value)) {
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key !== 'string' || !Object.hasOwn(value, key)) node.delete(pair.key);
    }
    for (const [key, item] of Object.entries(value)) {
      const current = node.get(key, true);
      node.set(key, current === undefined ? doc.createNode(item) : sync(doc, current, item));
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    node.items = value.map((item, i) =>
      i < node.items.length ? sync(doc, node.items[i], item) : doc.createNode(item),
    );
    return node;
  }
  if (isScalar(node) && (value === null || typeof value !== 'object')) {
    if (node.value !== value) node.value = value;
    return node;
  }
  return doc.createNode(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
