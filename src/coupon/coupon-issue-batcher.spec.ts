import { decideIssues, IssueDecision } from './coupon-issue-batcher';

const { ISSUE, ALREADY_ISSUED, USER_NOT_FOUND, SOLD_OUT } = IssueDecision;

describe(decideIssues.name, () => {
  it('issues what remains to the earliest arrivals and sells out the rest', () => {
    const candidates = [1, 2, 3, 4].map((userId) => ({ userId, holds: false }));

    expect(decideIssues([3, 1, 4, 2], candidates, 2)).toEqual([ISSUE, ISSUE, SOLD_OUT, SOLD_OUT]);
  });

  it('refuses holders and unknown users without spending a unit on them', () => {
    const candidates = [
      { userId: 1, holds: true },
      { userId: 2, holds: false },
    ];

    expect(decideIssues([1, 9, 2], candidates, 1)).toEqual([ALREADY_ISSUED, USER_NOT_FOUND, ISSUE]);
  });

  it('gives a user asking twice in one batch one coupon: the first arrival wins', () => {
    const candidates = [
      { userId: 1, holds: false },
      { userId: 2, holds: false },
    ];

    expect(decideIssues([1, 1, 2, 1], candidates, 5)).toEqual([ISSUE, ALREADY_ISSUED, ISSUE, ALREADY_ISSUED]);
  });

  it('answers a repeat of a sold-out request sold out, not already issued', () => {
    const candidates = [
      { userId: 1, holds: false },
      { userId: 2, holds: false },
    ];

    expect(decideIssues([1, 2, 2], candidates, 1)).toEqual([ISSUE, SOLD_OUT, SOLD_OUT]);
  });

  it('answers sold out before already issued and unknown user once nothing remains, in the order docs/decisions.md gives', () => {
    const candidates = [
      { userId: 1, holds: true },
      { userId: 2, holds: false },
      { userId: 3, holds: false },
    ];

    expect(decideIssues([1, 2, 4], candidates, 0)).toEqual([SOLD_OUT, SOLD_OUT, SOLD_OUT]);
    expect(decideIssues([2, 1, 4, 3, 1, 4], candidates, 1)).toEqual([ISSUE, SOLD_OUT, SOLD_OUT, SOLD_OUT, SOLD_OUT, SOLD_OUT]);
  });
});
