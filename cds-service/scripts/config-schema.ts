/**
 * Writes cds-service/config.schema.json, the JSON Schema of the configuration file, for editors
 * (`npm run config:schema -w @rationale/cds-service`). config.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../src/config';

const path = join(__dirname, '..', 'config.schema.json');
writeFileSync(path, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path}\n`);
