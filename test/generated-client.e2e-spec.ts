import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { useTestApp } from './support/test-app';

const run = promisify(execFile);
const bin = (name: string) => resolve('node_modules/.bin', name);

describe('a client generated from the served document (openapi-typescript + openapi-fetch)', () => {
  const t = useTestApp();
  let folder: string;
  beforeAll(async () => (folder = await mkdtemp(join(tmpdir(), 'generated-client-'))));
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('type-checks a shopper’s journey under strict, switching on the error codes', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body;
    await writeFile(join(folder, 'openapi.json'), JSON.stringify(document));
    await run(bin('openapi-typescript'), [join(folder, 'openapi.json'), '-o', join(folder, 'openapi.d.ts')]);
    await copyFile('test/generated-client/journey.ts', join(folder, 'journey.ts'));
    await symlink(resolve('node_modules'), join(folder, 'node_modules'), 'dir');
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['es2022', 'dom'],
        types: [],
        skipLibCheck: true,
      },
      files: ['journey.ts'],
    };
    await writeFile(join(folder, 'tsconfig.json'), JSON.stringify(tsconfig));

    const result = await run(bin('tsc'), ['-p', folder]).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe('');
  });
});
