import { ForbiddenError, RateLimitedError, SigningKeysUnavailableError, UnauthenticatedError } from '../auth/auth.errors';
import { BalanceLimitExceededError, InsufficientBalanceError } from '../balance/balance.errors';
import { CouponAlreadyIssuedError, CouponNotFoundError, CouponNotUsableError, CouponSoldOutError } from '../coupon/coupon.errors';
import { DomainError, UnauthorizedError, ValidationFailedError } from '../errors/domain-error';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from '../idempotency/idempotency.errors';
import { OrderStatus } from '../order/order-status';
import { OrderNotFoundError, OrderNotOwnedError, OrderNotPayableError, TooManyPendingOrdersError } from '../order/order.errors';
import { OutboxEventNotDeadError, OutboxEventNotFoundError } from '../outbox/outbox.errors';
import { OutOfStockError, ProductNotFoundError } from '../product/product.errors';
import { UserNotFoundError } from '../user/user.errors';
import { UnsupportedMediaTypeError } from '../validation/json-body.guard';
import { ERROR_EXAMPLES } from './api-errors';

const EVENT_ID = '0b6f6f0e-8d0a-4f43-9a57-2f4c1b8e9d21';

describe('ERROR_EXAMPLES', () => {
  // Each example as the service really raises it: same code, same status, same wording.
  it.each([
    new ValidationFailedError('amount must not be less than 1'),
    new UnauthenticatedError('an access token is required: Authorization: Bearer <token>'),
    new UnauthorizedError('a valid X-Admin-Key header is required'),
    new ForbiddenError(),
    new OrderNotOwnedError(10, 1),
    new UserNotFoundError(1),
    new ProductNotFoundError(1),
    new CouponNotFoundError(1),
    new OrderNotFoundError(10),
    new OutboxEventNotFoundError(EVENT_ID),
    new BalanceLimitExceededError(9_995_000, 10_000, 10_000_000),
    new InsufficientBalanceError(3_000, 84_000),
    new OutOfStockError([1]),
    new CouponNotUsableError(1, 1, 'it is not available'),
    new CouponSoldOutError(1),
    new CouponAlreadyIssuedError(1, 1),
    new TooManyPendingOrdersError(5),
    new OrderNotPayableError(10, OrderStatus.PAID),
    new IdempotencyKeyInUseError(),
    // OutboxStatus.SENT: the enum lives in the outbox's entity file, which other modules do not import.
    new OutboxEventNotDeadError(EVENT_ID, 'SENT' as never),
    new UnsupportedMediaTypeError('the body must be sent as application/json, not text/plain'),
    new IdempotencyKeyReusedError(),
    new RateLimitedError(20),
  ])('$code is documented with its status and message', (error: DomainError) => {
    expect(ERROR_EXAMPLES[error.code as keyof typeof ERROR_EXAMPLES]).toEqual({ status: error.status, message: error.message });
  });

  it('documents SERVICE_UNAVAILABLE with the status the token check answers when keys cannot be fetched', () => {
    const error = new SigningKeysUnavailableError();
    expect(ERROR_EXAMPLES[error.code].status).toBe(error.status);
  });
});
