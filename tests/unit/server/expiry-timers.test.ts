import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExpiryTimers, MAX_TIMER_MS } from '../../../server/src/auth/expiry-timers.ts';

describe('ExpiryTimers', () => {
  let fired: string[];
  let timers: ExpiryTimers;
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2027-01-01T00:00:00Z') });
    fired = [];
    timers = new ExpiryTimers((userId) => fired.push(userId));
  });
  afterEach(() => {
    timers.close();
    vi.useRealTimers();
  });

  const inMs = (ms: number) => new Date(Date.now() + ms);

  it('fires at the exact instant, not before', () => {
    timers.track('u', inMs(1500));
    vi.advanceTimersByTime(1499);
    expect(fired).toEqual([]);
    expect(timers.isExpired('u')).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['u']);
    expect(timers.isExpired('u')).toBe(true);
  });

  it('waits out delays past setTimeout’s 2³¹ ms limit in chunks', () => {
    const sixtyDays = 60 * 86_400_000;
    expect(sixtyDays).toBeGreaterThan(MAX_TIMER_MS);
    const spy = vi.spyOn(globalThis, 'setTimeout');
    timers.track('u', inMs(sixtyDays));
    for (const call of spy.mock.calls) expect(call[1]).toBeLessThanOrEqual(MAX_TIMER_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(sixtyDays - MAX_TIMER_MS - 1);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['u']);
    for (const call of spy.mock.calls) expect(call[1]).toBeLessThanOrEqual(MAX_TIMER_MS);
    spy.mockRestore();
  });

  it('re-arms when the expiry changes, and forgets a cleared one', () => {
    timers.track('u', inMs(1000));
    timers.track('u', inMs(5000));
    vi.advanceTimersByTime(4999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['u']);
    timers.track('v', inMs(1000));
    timers.track('v', null);
    vi.advanceTimersByTime(2000);
    expect(fired).toEqual(['u']);
    expect(timers.tracked()).toEqual(['u']);
  });

  it('tracking the same expiry again keeps the one timer; an expiry in the past fires at once', () => {
    const at = inMs(1000);
    timers.track('u', at);
    timers.track('u', new Date(at));
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['u']);
    timers.track('w', inMs(-10));
    expect(timers.isExpired('w')).toBe(true);
    vi.advanceTimersByTime(0);
    expect(fired).toEqual(['u', 'w']);
  });

  it('retain drops users no longer followed', () => {
    timers.track('u', inMs(1000));
    timers.track('v', inMs(1000));
    timers.retain(new Set(['v']));
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['v']);
  });
});
