import { readdirSync } from 'node:fs';
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Module boundaries (docs/architecture.md, "Modules and layers"): a module's repository and its entities are its own.
// Another module is reached through its service, public types (`*.types.ts`), rules and errors.
// Checked for every folder under src/; a file may import its own module's internals only.
const repositoryOrEntityOf = (folder) => ({
  // `../<other>/…/x.repository` or `../<other>/entities/…` (any depth of `../`), other than this folder.
  regex: `^(\\.\\./)+(?!${folder}/)[a-z-]+/((.+/)?[a-z-]+\\.repository$|entities/)`,
  message: "Another module's repository or entity: call that module's service (or use its *.types.ts) instead.",
});
const serviceImportsDto = { regex: '(^|/)dto/', message: 'A service returns domain results; its controller maps them with the DTO file.' };
const dtoImportsService = { regex: '\\.service$', message: "A DTO file maps the module's types (*.types.ts), not its service." };
const srcFolders = readdirSync(new URL('./src', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'bench-results/', 'node_modules/', '*.js', '*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // The example web clients run in a browser, as ES modules.
  { files: ['examples/**/*.js'], languageOptions: { sourceType: 'module', globals: globals.browser } },
  ...srcFolders.flatMap((folder) => {
    const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: [repositoryOrEntityOf(folder), ...patterns] }] });
    return [
      // Entities may name another module's entity in a relation (a foreign key is schema, not a call).
      { files: [`src/${folder}/**/*.ts`], ignores: [`src/${folder}/entities/**`], rules: restrict() },
      // Services return domain results; the module's DTO file maps them, so neither imports the other.
      { files: [`src/${folder}/**/*.service.ts`], rules: restrict(serviceImportsDto) },
      { files: [`src/${folder}/**/dto/**/*.ts`], rules: restrict(dtoImportsService) },
    ];
  }),
);
