import { BalanceService } from '../../src/balance/balance.service';
import { expectLockOrder } from '../support/lock-order';
import { ServiceModule, startServiceModule } from '../support/service-module';

describe('BalanceService.chargeBalance (service, real database)', () => {
  let s: ServiceModule;
  let sut: BalanceService;

  beforeAll(async () => {
    s = await startServiceModule();
    sut = s.get(BalanceService);
  });

  afterAll(async () => {
    await s.close();
  });

  const charge = (userId: number, amount: number) => s.transaction('chargeBalance', (manager) => sut.chargeBalance(manager, { userId, amount }));

  it('locks only the balance row, changes it and writes its history row', async () => {
    const user = await s.make.user({ balance: 1_000 });

    const statements = await s.statementsOf(() => charge(user.id, 2_500));

    expectLockOrder(statements, ['balance']);
    expect(await sut.getBalance(user.id)).toEqual({ userId: user.id, balance: 3_500 });
    expect((await sut.getHistory(user.id, 10)).items.map((row) => [row.type, row.amount, row.balanceAfter])).toEqual([
      ['CHARGE', 2_500, 3_500],
      ['CHARGE', 1_000, 1_000],
    ]);
  });

  it('applies every one of concurrent charges', async () => {
    const user = await s.make.user();

    await Promise.all(Array.from({ length: 20 }, () => charge(user.id, 100)));

    expect(await sut.getBalance(user.id)).toEqual({ userId: user.id, balance: 2_000 });
  });
});
