/**
 * Another process writing to a Redis delivery store (the conformance suite's concurrent writer):
 * `node --import tsx redis-delivery-writer-child.ts <redis URL> <prefix> <scope JSON> <records JSON file>`.
 */
import { readFile } from 'node:fs/promises';
import type { DeliveryRecord, DeliveryScope } from '@koppel/core';
import { KoppelKeys, openRedis, RedisDeliveryStore } from '@koppel/runner/bullmq';

const [url, prefix, scopeJson, recordsFile] = process.argv.slice(2);
if (!url || !prefix || !scopeJson || !recordsFile)
  throw new Error('usage: <redis URL> <prefix> <scope JSON> <records file>');
const scope = JSON.parse(scopeJson) as DeliveryScope;
const records = JSON.parse(await readFile(recordsFile, 'utf8')) as DeliveryRecord[];
const redis = openRedis(url);
const store = new RedisDeliveryStore(redis, new KoppelKeys(prefix));
for (let i = 0; i < records.length; i += 50) await store.put(scope, records.slice(i, i + 50));
await store.close();
redis.disconnect();
