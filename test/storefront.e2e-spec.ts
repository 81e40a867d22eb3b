import { mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';
import { StorefrontDemo, StorefrontServer, startStorefrontServer } from '../scripts/storefront-server';
import { tokenFor } from './support/auth';
import { makeCoupon, makeProduct, makeUser } from './support/factories';
import { useTestApp } from './support/test-app';

/** Debian's Chromium (package `chromium`; .ci/run installs it when missing), never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = 'test-artifacts/storefront';

describe('the demo storefront in Chromium, on an origin of its own (e2e)', () => {
  let storefront: StorefrontServer;
  let unlisted: StorefrontServer;
  let demo: StorefrontDemo;
  // Both servers start before the app, so its CORS_ORIGINS can name exactly the storefront's origin.
  beforeAll(async () => {
    storefront = await startStorefrontServer(() => demo);
    unlisted = await startStorefrontServer(() => demo);
  });
  afterAll(async () => {
    await storefront.close();
    await unlisted.close();
  });
  const t = useTestApp(() => ({ CORS_ORIGINS: storefront.url }));

  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // launch() gives the browser a fresh temporary profile of its own, removed on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const screenshot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  const message = () => page.getByTestId('message');
  const balance = () => page.getByTestId('balance');

  it('signs in, grabs the coupon, orders with it, pays, and cancels into a refund that returns the balance', async () => {
    const user = await makeUser(t.http, { name: 'shopper', balance: 100_000 });
    const product = await makeProduct(t.http, { name: 'Desk lamp', price: 30_000, stock: 10 });
    const coupon = await makeCoupon(t.http, { name: 'Flash sale', discountType: 'FIXED', discountValue: 5_000, totalQuantity: 3 });
    const apiUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    demo = { apiUrl, users: [{ id: user.id, name: user.name, token: await tokenFor(user.id) }], coupons: [coupon.id] };

    const allowOrigins = new Set<string | undefined>();
    page.on('response', (response) => {
      if (response.url().startsWith(`${apiUrl}/api/v1/`)) allowOrigins.add(response.headers()['access-control-allow-origin']);
    });

    await page.goto(storefront.url);
    await page.locator('body[data-ready=true]').waitFor();
    await expectText(page.getByTestId('products'), 'Desk lamp');
    await screenshot('01-catalogue');

    await page.getByTestId('sign-in').click();
    await expectText(message(), 'signed in as shopper');
    await expectText(balance(), '100,000 won');
    await screenshot('02-signed-in');

    await page.getByTestId(`grab-${coupon.id}`).click();
    await expectText(page.getByTestId(`coupon-held-${coupon.id}`), 'AVAILABLE');
    await screenshot('03-coupon');

    await page.getByTestId(`add-${product.id}`).click();
    await page.getByTestId('cart-coupon').selectOption(String(coupon.id));
    await page.getByTestId('place-order').click();
    await expectText(message(), '25,000 won to pay (5,000 won off)');
    const orderId = Number(await page.locator('[data-testid=orders] tr').first().getAttribute('data-order-id'));
    await screenshot('04-order');

    await page.getByTestId(`pay-${orderId}`).click();
    await expectText(page.getByTestId(`status-${orderId}`), 'PAID');
    await expectText(balance(), '75,000 won');
    await screenshot('05-paid');

    await page.getByTestId(`cancel-${orderId}`).click();
    await expectText(page.getByTestId(`status-${orderId}`), 'REFUNDED');
    await expectText(balance(), '100,000 won');
    await expectText(page.getByTestId(`coupon-held-${coupon.id}`), 'AVAILABLE');
    await screenshot('06-refunded');

    // The service agrees with the page.
    const order = (await t.http.get(`/api/v1/orders/${orderId}`).set({ Authorization: `Bearer ${demo.users[0].token}` }).expect(200)).body;
    expect(order).toMatchObject({ status: 'REFUNDED', couponId: coupon.id, payAmount: 25_000 });
    // Every answer the page read came across origins, allowed for exactly the storefront's.
    expect([...allowOrigins]).toEqual([storefront.url]);
  });

  it('a page on an origin CORS_ORIGINS does not list cannot read the API: the browser refuses it', async () => {
    const other = await browser.newPage();
    try {
      await other.goto(unlisted.url);
      await expectText(other.getByTestId('message'), 'NETWORK_ERROR');
      await other.screenshot({ path: `${ARTIFACTS}/07-unlisted-origin-refused.png`, fullPage: true });
      // The same request from the page's own script fails in the browser, though the API is up.
      const outcome = await other.evaluate((url) => fetch(`${url}/api/v1/products`).then(() => 'read', (error: Error) => error.name), demo.apiUrl);
      expect(outcome).toBe('TypeError');
    } finally {
      await other.close();
    }
  });
});

async function expectText(locator: ReturnType<Page['getByTestId']>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).waitFor({ timeout: 10_000 });
}
