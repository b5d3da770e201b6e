import { describe, expect, it } from 'vitest';
import type { DecidableRequest, DecisionAsked } from '../../src/domain/index.js';
import { canMove, judgeCancel, judgeDecision } from '../../src/domain/index.js';

const open: DecidableRequest = {
  state: 'requested',
  expiresAt: '2026-05-01T11:00:00.000Z',
  requesterId: 'web:alice',
  confirmName: 'myVM',
};
const byId = (a: { id: string }, b: { id: string; aliases: readonly string[] }) =>
  a.id === b.id || b.aliases.includes(a.id);
const asked = (o: Partial<DecisionAsked> = {}): DecisionAsked => ({
  decision: 'approve',
  decider: { id: 'web:dave', aliases: [] },
  confirmName: 'myVM',
  now: new Date('2026-05-01T10:30:00.000Z'),
  samePerson: byId,
  ...o,
});

describe('approval rules', () => {
  it('approves an open request decided by another person with the exact name typed', () => {
    expect(judgeDecision(open, asked({ confirmName: ' myVM ' }))).toEqual({
      verdict: 'move',
      to: 'approved',
    });
  });

  it('changes nothing on a request that is no longer open', () => {
    expect(judgeDecision({ ...open, state: 'rejected' }, asked())).toEqual({ verdict: 'closed' });
  });

  it('refuses at the expiry time, before looking at who decides', () => {
    const at = asked({ now: new Date(open.expiresAt), decider: { id: 'web:alice', aliases: [] } });
    expect(judgeDecision(open, at)).toEqual({ verdict: 'refuse', reason: 'approval.expired' });
  });

  it('refuses the requester under another of their ids, rejecting as well as approving', () => {
    const self = { id: 'teams:alice', aliases: ['web:alice'] };
    expect(judgeDecision(open, asked({ decider: self, decision: 'reject' }))).toEqual({
      verdict: 'refuse',
      reason: 'approval.self',
    });
  });

  it('needs the name typed to approve but not to reject', () => {
    expect(judgeDecision(open, asked({ confirmName: 'myvm' }))).toEqual({
      verdict: 'refuse',
      reason: 'approval.name_mismatch',
    });
    expect(judgeDecision(open, asked({ decision: 'reject', confirmName: 'x' }))).toEqual({
      verdict: 'move',
      to: 'rejected',
    });
  });

  it('lets only the requester cancel', () => {
    expect(judgeCancel(open, { id: 'web:dave', aliases: [] }, byId)).toEqual({
      verdict: 'refuse',
      reason: 'approval.not_requester',
    });
    expect(judgeCancel(open, { id: 'web:alice', aliases: [] }, byId)).toEqual({
      verdict: 'move',
      to: 'cancelled',
    });
  });

  it('moves only forward: an ended request never runs again', () => {
    expect(canMove('approved', 'executing')).toBe(true);
    expect(canMove('executing', 'failed')).toBe(true);
    expect(canMove('failed', 'executing')).toBe(false);
    expect(canMove('executed', 'executing')).toBe(false);
    expect(canMove('rejected', 'approved')).toBe(false);
  });
});
