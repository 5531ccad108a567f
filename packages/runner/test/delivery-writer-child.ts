/**
 * Another process writing to an LMDB delivery store (the conformance suite's concurrent writer):
 * `node --import tsx delivery-writer-child.ts <stateDir> <scope JSON> <records JSON file>`.
 */
import { readFile } from 'node:fs/promises';
import type { DeliveryRecord, DeliveryScope } from '@koppel/core';
import { LmdbDeliveryStore } from '../src/delivery/lmdb-delivery-store.js';

const [stateDir, scopeJson, recordsFile] = process.argv.slice(2);
if (!stateDir || !scopeJson || !recordsFile) throw new Error('usage: <stateDir> <scope JSON> <records file>');
const scope = JSON.parse(scopeJson) as DeliveryScope;
const records = JSON.parse(await readFile(recordsFile, 'utf8')) as DeliveryRecord[];
const store = await LmdbDeliveryStore.open(stateDir);
for (let i = 0; i < records.length; i += 50) await store.put(scope, records.slice(i, i + 50));
await store.close();
