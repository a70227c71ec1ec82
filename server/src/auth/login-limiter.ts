import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { limits } from '@crewdeck/shared/limits';
import { RateLimitedError } from '../http/errors.ts';

/**
 * Failures of one key with growing waits: after `free` failures, each further attempt waits
 * `loginDelayFirstSeconds`, doubling with every failure up to `loginDelayMaxSeconds`.
 */
class Backoff {
  readonly #free: number;
  readonly #failures: RateLimiterMemory;
  /** A key present here must wait until it expires. */
  readonly #waits: RateLimiterMemory;

  constructor(prefix: string, free: number) {
    this.#free = free;
    this.#failures = new RateLimiterMemory({
      keyPrefix: `${prefix}_failures`,
      points: Number.MAX_SAFE_INTEGER,
      duration: limits.loginClientWindowSeconds,
    });
    this.#waits = new RateLimiterMemory({
      keyPrefix: `${prefix}_wait`,
      points: 1,
      duration: limits.loginDelayMaxSeconds,
    });
  }

  /** Milliseconds before `key` may try again; 0 when it may now. */
  async waitMs(key: string): Promise<number> {
    const wait = await this.#waits.get(key);
    return wait && wait.msBeforeNext > 0 ? wait.msBeforeNext : 0;
  }

  /** Counts a failure (or an attempt about to be checked); returns the wait it starts, in seconds (0: none yet). */
  async fail(key: string): Promise<number> {
    const counted = await this.#failures.penalty(key, 1);
    const over = counted.consumedPoints - this.#free;
    if (over < 0) return 0;
    const seconds = Math.min(limits.loginDelayFirstSeconds * 2 ** over, limits.loginDelayMaxSeconds);
    await this.#waits.set(key, 1, seconds);
    return seconds;
  }

  async reset(key: string): Promise<void> {
    await Promise.all([this.#failures.delete(key), this.#waits.delete(key)]);
  }
}

/** Counts failures of a key in a window; at `points` the key is locked for the lockout period. */
class Ceiling {
  readonly #points: number;
  readonly #limiter: RateLimiterMemory;

  constructor(prefix: string, points: number, windowSeconds: number) {
    this.#points = points;
    this.#limiter = new RateLimiterMemory({ keyPrefix: prefix, points, duration: windowSeconds });
  }

  async waitMs(key: string): Promise<number> {
    const res = await this.#limiter.get(key);
    return res && res.consumedPoints >= this.#points && res.msBeforeNext > 0 ? res.msBeforeNext : 0;
  }

  /** Counts a failure; true when it just locked the key. */
  async fail(key: string): Promise<boolean> {
    try {
      const res = await this.#limiter.consume(key);
      if (res.consumedPoints < this.#points) return false;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
    }
    // Lockout starts now and lasts the full period, not the rest of the counting window.
    await this.#limiter.block(key, limits.loginLockoutSeconds);
    return true;
  }
}

function assertNoWait(waits: number[]): void {
  const wait = Math.max(...waits);
  if (wait > 0) throw new RateLimitedError(Math.ceil(wait / 1000));
}

/**
 * Throttles password guessing without letting a stranger lock a user out: failures of one
 * account from one address get growing waits; an account's failures from all addresses and
 * an address's failures for all accounts have much higher ceilings that lock. Wrong current
 * passwords on the password-change form count on their own, per user. Kept in memory: the
 * server is one process, and a restart clearing them is acceptable.
 *
 * An attempt counts against its account-and-address pair as soon as it begins, before the
 * slow password check, so parallel requests cannot all slip past the growing wait; a right
 * password clears it again. The ceilings count only wrong passwords, after the check.
 */
export class LoginLimiter {
  readonly #byClient = new Backoff('login_client', limits.loginFailuresPerClient);
  readonly #byAccount = new Ceiling('login_account', limits.loginFailuresPerAccount, limits.loginAccountWindowSeconds);
  readonly #byIp = new Ceiling('login_ip', limits.loginFailuresPerIp, limits.loginFailureWindowSeconds);
  readonly #passwordChange = new Backoff('password_change', limits.passwordChangeFailures);

  /**
   * Throws 429 while this account must wait at this address, or either is locked; otherwise
   * counts the attempt for the pair and answers the wait that follows it should it fail.
   */
  async beginLogin(ip: string, account: string): Promise<{ waitSeconds: number }> {
    const key = clientKey(ip, account);
    assertNoWait(
      await Promise.all([this.#byClient.waitMs(key), this.#byAccount.waitMs(account), this.#byIp.waitMs(ip)]),
    );
    return { waitSeconds: await this.#byClient.fail(key) };
  }

  /** Counts a wrong password against the ceilings; true when it just locked the account or address. */
  async recordLoginFailure(ip: string, account: string): Promise<boolean> {
    const locked = await Promise.all([this.#byAccount.fail(account), this.#byIp.fail(ip)]);
    return locked.some(Boolean);
  }

  /** A right password clears this address's failures for the account, not the ceilings. */
  async recordLoginSuccess(ip: string, account: string): Promise<void> {
    await this.#byClient.reset(clientKey(ip, account));
  }

  /** Throws 429 while the user must wait before another current-password attempt; otherwise counts it. */
  async beginPasswordChange(userId: string): Promise<void> {
    assertNoWait([await this.#passwordChange.waitMs(userId)]);
    await this.#passwordChange.fail(userId);
  }

  /** The current password was right: its attempts are cleared. */
  async recordPasswordChangeSuccess(userId: string): Promise<void> {
    await this.#passwordChange.reset(userId);
  }
}

// JSON keeps a login containing a separator from colliding with another pair.
const clientKey = (ip: string, account: string) => JSON.stringify([account, ip]);
