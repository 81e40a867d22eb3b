// `npm run config:docs`: writes .env.example and the table of docs/configuration.md from the
// declarations in src/config/app-config.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { CONFIGURATION_DOC_PATH, ENV_EXAMPLE_PATH, renderEnvExample, withConfigTable } from '../src/config/config-docs';

writeFileSync(ENV_EXAMPLE_PATH, renderEnvExample());
writeFileSync(CONFIGURATION_DOC_PATH, withConfigTable(readFileSync(CONFIGURATION_DOC_PATH, 'utf8')));
console.log(`wrote ${ENV_EXAMPLE_PATH} and the table of ${CONFIGURATION_DOC_PATH}`);
