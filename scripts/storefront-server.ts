// Serves examples/storefront/ and /demo.json (the API's URL and the demo users' tokens) on an
// origin of its own, as a web shop beside the API would be. Used by `npm run demo` and the browser test.
import { readFile } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';

export const STOREFRONT_DIR = resolve(__dirname, '../examples/storefront');
const FILES = new Set(['index.html', 'app.js', 'api.js', 'style.css']);
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export interface StorefrontDemo {
  apiUrl: string;
  users: Array<{ id: number; name: string; token: string }>;
  coupons: number[];
}

export interface StorefrontServer {
  url: string;
  close(): Promise<void>;
}

export async function startStorefrontServer(demo: () => Promise<StorefrontDemo> | StorefrontDemo, port = 0, host = '127.0.0.1'): Promise<StorefrontServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://storefront').pathname;
    const name = path === '/' ? 'index.html' : path.slice(1);
    const body = name === 'demo.json' ? Promise.resolve(demo()).then((d) => JSON.stringify(d)) : FILES.has(name) ? readFile(join(STOREFRONT_DIR, name)) : undefined;
    if (!body) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    body.then(
      (content) => response.writeHead(200, { 'Content-Type': `${TYPES[extname(name)] ?? 'application/json'}; charset=utf-8`, 'Cache-Control': 'no-store' }).end(content),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((ready, fail) => server.once('error', fail).listen(port, host, ready));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
