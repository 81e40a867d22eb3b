import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../app.setup';
import { BalanceService } from '../balance/balance.service';
import { loadConfig } from '../config/app-config';
import { Product } from '../product/entities/product.entity';
import { ProductService } from '../product/product.service';
import { UserService } from '../user/user.service';
import { DEMO_PRODUCTS, DEMO_USERS } from './demo-catalogue';

/**
 * Fills an empty database with the demo catalogue through the services (so every balance has its
 * history rows). A database that already has products is left alone: running it twice is safe.
 */
async function seed(): Promise<void> {
  const logger = new Logger('Seed');
  const app = await createApp(loadConfig());
  try {
    if ((await app.get(DataSource).manager.count(Product)) > 0) {
      logger.log('database already has products; nothing to seed');
      return;
    }
    const products = app.get(ProductService);
    for (const product of DEMO_PRODUCTS) await products.createProduct(product);
    const users = app.get(UserService);
    const balances = app.get(BalanceService);
    for (const { name, balance } of DEMO_USERS) {
      const user = await users.createUser(name);
      if (balance > 0) await balances.chargeBalance(user.id, balance);
    }
    logger.log(`seeded ${DEMO_PRODUCTS.length} products and ${DEMO_USERS.length} users`);
  } finally {
    await app.close();
  }
}

seed().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
