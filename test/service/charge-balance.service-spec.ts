import { BalanceLimitExceededError, InsufficientBalanceError, UserNotFoundError } from '../../src/balance/balance.errors';
import { MAX_BALANCE } from '../../src/balance/balance.rules';
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

  it('locks only the balance row, changes it and writes its history row, in two statements', async () => {
    const user = await s.make.user({ balance: 1_000 });

    const statements = await s.statementsOf(() => charge(user.id, 2_500));

    // The UPDATE hands the new balance back (LAST_INSERT_ID), so nothing is read first.
    expect(statements.map((sql) => sql.match(/^\w+( INTO \w+| \w+)?/)![0])).toEqual(['START TRANSACTION', 'UPDATE user_balances', 'INSERT INTO balance_history', 'COMMIT']);
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

  it('refuses a charge past the limit and an unknown user by their own errors, changing nothing', async () => {
    const user = await s.make.user({ balance: 9_999_000 });

    await expect(charge(user.id, 1_001)).rejects.toThrow(new BalanceLimitExceededError(9_999_000, 1_001, MAX_BALANCE));
    await expect(charge(2 ** 40, 100)).rejects.toThrow(new UserNotFoundError(2 ** 40));
    await expect(s.transaction('payOrder', (manager) => sut.deductForPayment(manager, user.id, 9_999_001, 1))).rejects.toThrow(
      new InsufficientBalanceError(9_999_000, 9_999_001),
    );

    expect(await sut.getBalance(user.id)).toEqual({ userId: user.id, balance: 9_999_000 });
    expect((await sut.getHistory(user.id, 10)).items).toHaveLength(1);
  });
});
