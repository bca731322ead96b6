import { resolve } from 'node:path';
import { loadBundles, recordEnd } from '../src/eval/load';
import { assess } from '../src/model/assess';
const bundles = loadBundles(resolve(__dirname, '../../../shared/data/synthea-r4'));
const inputs = bundles.map(({ record }) => ({ record, now: recordEnd(record) }));
const t0 = Date.now();
for (let r = 0; r < 8; r++) for (const { record, now } of inputs) assess(record, now);
console.log('ms per assess', (Date.now() - t0) / (8 * inputs.length));
