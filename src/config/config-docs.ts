import { CONFIG_SCHEMA } from './app-config';
import type { ConfigVariable } from './config-variable';

export const ENV_EXAMPLE_PATH = '.env.example';
export const CONFIGURATION_DOC_PATH = 'docs/configuration.md';
const TABLE_START = '<!-- config-table:start -->';
const TABLE_END = '<!-- config-table:end -->';

const sections = () => Object.values(CONFIG_SCHEMA).map((section) => ({ title: section.title, variables: Object.values(section.variables) as Array<ConfigVariable<unknown>> }));

/** `.env.example`: every variable with its description, bounds and example value. */
export function renderEnvExample(): string {
  const lines = [
    '# Copy to .env (read by `npm start`, `npm run seed` and `npm run token`). Every variable is optional',
    '# except AUTH_ISSUER, AUTH_AUDIENCE and one of AUTH_JWT_SECRET / AUTH_JWKS_URL.',
    '# A bad value stops start-up with a message naming the variable. Generated from',
    '# src/config/app-config.ts by `npm run config:docs`: change the declarations there.',
  ];
  for (const section of sections()) {
    lines.push('', `# ${section.title}`);
    for (const variable of section.variables) {
      lines.push(`# ${variable.description} (${variable.format}${variable.shownDefault === undefined ? '' : `; default ${variable.shownDefault}`})`);
      lines.push(`${variable.env}=${variable.example}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The table of docs/configuration.md, between its markers. */
function renderConfigTable(): string {
  const rows = ['| variable | default | values | what it is |', '|---|---|---|---|'];
  for (const section of sections()) {
    rows.push(`| **${section.title}** | | | |`);
    for (const variable of section.variables) {
      const shownDefault = variable.required ? 'required' : (variable.shownDefault ?? 'unset');
      rows.push(`| \`${variable.env}\` | ${cell(shownDefault)} | ${cell(variable.format)} | ${cell(variable.description)} |`);
    }
  }
  return rows.join('\n');
}

/** `document` with its table replaced by the current one. */
export function withConfigTable(document: string): string {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`${CONFIGURATION_DOC_PATH} has no ${TABLE_START} … ${TABLE_END} markers`);
  return `${document.slice(0, start + TABLE_START.length)}\n${renderConfigTable()}\n${document.slice(end)}`;
}

function cell(value: string): string {
  return value.replace(/\|/g, '\\|');
}
