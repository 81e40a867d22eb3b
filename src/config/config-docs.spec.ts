import { readFileSync } from 'node:fs';
import { CONFIG_SCHEMA, loadConfig } from './app-config';
import { CONFIGURATION_DOC_PATH, ENV_EXAMPLE_PATH, renderEnvExample, withConfigTable } from './config-docs';

// Both files are generated from CONFIG_SCHEMA by `npm run config:docs`; edit the declarations, then run it.
describe('configuration docs', () => {
  it(`${ENV_EXAMPLE_PATH} lists exactly the declared variables`, () => {
    expect(readFileSync(ENV_EXAMPLE_PATH, 'utf8')).toBe(renderEnvExample());
  });

  it(`${CONFIGURATION_DOC_PATH} has the table of the declared variables`, () => {
    const document = readFileSync(CONFIGURATION_DOC_PATH, 'utf8');
    expect(document).toBe(withConfigTable(document));
  });

  it(`${ENV_EXAMPLE_PATH} as it is starts the app`, () => {
    const env = Object.fromEntries(
      readFileSync(ENV_EXAMPLE_PATH, 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const declared = Object.values(CONFIG_SCHEMA).flatMap((section) => Object.values(section.variables).map((variable) => variable.env));
    expect(Object.keys(env)).toEqual(declared);
    expect(() => loadConfig(env)).not.toThrow();
  });
});
