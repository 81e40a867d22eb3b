import { INestApplication, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../app.setup';
import { BalanceService } from '../balance/balance.service';
import { loadConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { CouponService } from '../coupon/coupon.service';
import { ProductService } from '../product/product.service';
import { UserService } from '../user/user.service';
import { DEMO_COUPONS, DEMO_PRODUCTS, DEMO_USERS } from './demo-catalogue';

/**
 * Fills an empty database with the demo catalogue through the services (so every balance has its
 * history rows). Each part is skipped when its table already has rows: running it twice is safe.
 */
async function seed(): Promise<void> {
  const logger = new Logger('Seed');
  const app = await createApp(loadConfig());
  try {
    const hasRows = async (table: 'products' | 'coupons') =>
      (await app.get(DataSource).query<unknown[]>(`SELECT 1 FROM ${table} LIMIT 1`)).length > 0;
    if (!(await hasRows('products'))) {
      await seedShop(app);
      logger.log(`seeded ${DEMO_PRODUCTS.length} products and ${DEMO_USERS.length} users`);
    } else {
      logger.log('database already has products; products and users left alone');
    }
    if (!(await hasRows('coupons'))) {
      for (const coupon of DEMO_COUPONS) await app.get(CouponService).createCoupon(coupon);
      logger.log(`seeded ${DEMO_COUPONS.length} coupons`);
    } else {
      logger.log('database already has coupons; coupons left alone');
    }
  } finally {
    await app.close();
  }
}

async function seedShop(app: INestApplication): Promise<void> {
  const products = app.get(ProductService);
  for (const product of DEMO_PRODUCTS) await products.createProduct(product);
  const users = app.get(UserService);
  const balances = app.get(BalanceService);
  const transactions = app.get(TransactionRunner);
  for (const { name, balance } of DEMO_USERS) {
    const user = await users.createUser(name);
    if (balance > 0) await transactions.run('chargeBalance', (manager) => balances.chargeBalance(manager, { userId: user.id, amount: balance }));
  }
}

seed().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
