import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { MetricsService } from '../metrics/metrics.service';
import { UserNotFoundError } from '../user/user.errors';
import { CouponAlreadyIssuedError, CouponNotFoundError, CouponSoldOutError } from './coupon.errors';
import { CouponRepository } from './coupon.repository';
import { HeldCoupon, IssueCandidate } from './coupon.types';
import { expiresAtFor } from './coupon.rules';
import { Coupon } from './entities/coupon.entity';
import { UserCouponStatus } from './entities/user-coupon.entity';

export enum IssueDecision {
  ISSUE = 'ISSUE',
  ALREADY_ISSUED = 'ALREADY_ISSUED',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  SOLD_OUT = 'SOLD_OUT',
}

/**
 * Decides a batch of requests for one coupon, in arrival order, with the refusals in the order
 * docs/decisions.md gives: once no unit remains every later request is sold out; before that a
 * user who holds the coupon (also one issued earlier in this batch) is refused, then an unknown
 * user, and everyone else gets a unit.
 */
export function decideIssues(userIds: number[], candidates: IssueCandidate[], remaining: number): IssueDecision[] {
  const known = new Set(candidates.map((candidate) => candidate.userId));
  const holders = new Set(candidates.filter((candidate) => candidate.holds).map((candidate) => candidate.userId));
  let left = remaining;
  return userIds.map((userId) => {
    if (left <= 0) return IssueDecision.SOLD_OUT;
    if (holders.has(userId)) return IssueDecision.ALREADY_ISSUED;
    if (!known.has(userId)) return IssueDecision.USER_NOT_FOUND;
    left--;
    holders.add(userId);
    return IssueDecision.ISSUE;
  });
}

interface IssueRequest {
  userId: number;
  resolve: (coupon: HeldCoupon) => void;
  reject: (error: unknown) => void;
}

interface SettledBatch {
  decisions: IssueDecision[];
  /** Units left after this batch. */
  left: number;
  userCouponIds: Map<number, number>;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * Group commit for first-come issuance. The hot coupon row admits one transaction at a time, so
 * instead of one transaction per request, requests for a coupon that arrive while its batch is in
 * flight wait in that coupon's queue, and the next batch settles up to `COUPON_ISSUE_BATCH_SIZE`
 * of them in one transaction with a fixed number of statements. A lone request starts a batch of
 * one at once: no timer.
 */
@Injectable()
export class CouponIssueBatcher {
  /**
   * Unanswered requests per coupon in arrival order: the batch in flight first, then those waiting.
   * A coupon has an entry exactly while one of its batches is in flight.
   */
  private readonly queues = new Map<number, IssueRequest[]>();
  // Sold out is final (nothing gives a coupon back): remembered, a rush on it never reaches the database.
  private readonly soldOut = new Set<number>();
  private readonly batchSize: number;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly coupons: CouponRepository,
    private readonly metrics: MetricsService,
    config: AppConfig,
  ) {
    this.batchSize = config.coupons.issueBatchSize;
    const queues = this.queues;
    new Gauge({
      name: 'coupon_issue_requests_waiting',
      help: 'Issue requests not answered yet, all coupons: in a batch in flight or queued behind one',
      registers: [metrics.registry],
      collect() {
        this.set([...queues.values()].reduce((sum, queue) => sum + queue.length, 0));
      },
    });
  }

  /** `coupon` is the coupon's terms as first read by this instance. */
  issue(coupon: Coupon, userId: number): Promise<HeldCoupon> {
    // Sold out when first read means sold out for good.
    if (coupon.issuedQuantity >= coupon.totalQuantity) this.soldOut.add(coupon.id);
    if (this.soldOut.has(coupon.id)) return Promise.reject(new CouponSoldOutError(coupon.id));
    return new Promise((resolve, reject) => {
      const request = { userId, resolve, reject };
      const queue = this.queues.get(coupon.id);
      if (queue) {
        queue.push(request);
        return;
      }
      const fresh = [request];
      this.queues.set(coupon.id, fresh);
      void this.drain(coupon, fresh);
    });
  }

  private async drain(coupon: Coupon, queue: IssueRequest[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, this.batchSize);
      await this.settle(coupon, batch);
      queue.splice(0, batch.length);
    }
    this.queues.delete(coupon.id);
  }

  /** Answers every request of the batch; never throws, so the queue always moves on. */
  private async settle(coupon: Coupon, batch: IssueRequest[]): Promise<void> {
    if (this.soldOut.has(coupon.id)) {
      for (const request of batch) request.reject(new CouponSoldOutError(coupon.id));
      return;
    }
    try {
      this.metrics.couponIssueBatchSize.observe(batch.length);
      const userIds = batch.map((request) => request.userId);
      // A deadlock or lock-wait timeout reruns the whole batch: nothing of it was applied.
      const settled = await this.transactions.run('issueCoupon', (tx) => this.issueBatch(tx, coupon, userIds));
      if (settled.left === 0) this.soldOut.add(coupon.id);
      batch.forEach((request, i) => answer(request, settled.decisions[i], coupon, settled));
    } catch (error) {
      // Applied whole or not at all: every request of the batch gets the same failure (an outage → 503).
      for (const request of batch) request.reject(error);
    }
  }

  /**
   * One transaction: lock the coupon row, look up every user of the batch, decide, insert the
   * winners in one statement, count them in one UPDATE. The lookup is a plain read taken after the
   * lock, so it sees every batch (of any instance) committed before ours.
   */
  private async issueBatch(tx: EntityManager, coupon: Coupon, userIds: number[]): Promise<SettledBatch> {
    const remaining = await this.coupons.lockRemainingForUpdate(tx, coupon.id);
    if (remaining === null) throw new CouponNotFoundError(coupon.id);
    const candidates = await this.coupons.findIssueCandidates(tx, coupon.id, [...new Set(userIds)]);
    const decisions = decideIssues(userIds, candidates, remaining);
    const issuedAt = new Date();
    const expiresAt = expiresAtFor(issuedAt, coupon.validDays);
    const winners = userIds.filter((_, i) => decisions[i] === IssueDecision.ISSUE);
    let userCouponIds = new Map<number, number>();
    if (winners.length > 0) {
      userCouponIds = await this.coupons.insertUserCoupons(
        tx,
        winners.map((userId) => ({ userId, couponId: coupon.id, issuedAt, expiresAt })),
      );
      if (!(await this.coupons.addIssued(tx, coupon.id, winners.length))) {
        throw new Error(`coupon ${coupon.id}: ${winners.length} units decided but fewer remain`);
      }
    }
    return { decisions, left: remaining - winners.length, userCouponIds, issuedAt, expiresAt };
  }
}

function answer(request: IssueRequest, decision: IssueDecision, coupon: Coupon, settled: SettledBatch): void {
  switch (decision) {
    case IssueDecision.ALREADY_ISSUED:
      return request.reject(new CouponAlreadyIssuedError(coupon.id, request.userId));
    case IssueDecision.USER_NOT_FOUND:
      return request.reject(new UserNotFoundError(request.userId));
    case IssueDecision.SOLD_OUT:
      return request.reject(new CouponSoldOutError(coupon.id));
    case IssueDecision.ISSUE:
      return request.resolve({
        userCouponId: settled.userCouponIds.get(request.userId)!,
        userId: request.userId,
        couponId: coupon.id,
        name: coupon.name,
        discountType: coupon.discountType,
        discountValue: coupon.discountValue,
        status: UserCouponStatus.AVAILABLE,
        issuedAt: settled.issuedAt,
        expiresAt: settled.expiresAt,
        usedAt: null,
        orderId: null,
      });
  }
}
