import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { BalanceModule } from './balance/balance.module';
import { AppConfig } from './config/app-config';
import { CouponModule } from './coupon/coupon.module';
import { DatabaseModule } from './database/database.module';
import { ServerType } from './database/database-options';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrderModule } from './order/order.module';
import { PaymentModule } from './payment/payment.module';
import { OutboxModule } from './outbox/outbox.module';
import { ProductModule } from './product/product.module';
import { UserModule } from './user/user.module';

@Module({})
export class AppModule {
  /** The configuration is passed in, so tests and scripts can build the app with their own. */
  static forRoot(config: AppConfig, serverType: ServerType, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: ConfigHolderModule, global: true, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] },
        LoggingModule.forRoot(logDestination),
        MetricsModule,
        AuthModule,
        DatabaseModule.forRoot(serverType),
        HealthModule,
        UserModule,
        BalanceModule,
        ProductModule,
        OrderModule,
        PaymentModule,
        CouponModule,
        OutboxModule,
      ],
    };
  }
}

@Module({})
class ConfigHolderModule {}
