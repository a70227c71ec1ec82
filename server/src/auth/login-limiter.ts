import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { limits } from '@crewdeck/shared/limits';
import { RateLimitedError } from '../http/errors.ts';

/**
 * Counts failed logins per IP and per account; after too many, the key is blocked for
 * the lockout period. Kept in memory: the server is one process, and a restart clearing
 * lockouts is acceptable.
 */
export class LoginLimiter {
  readonly #byAccount = new RateLimiterMemory({
    keyPrefix: 'login_account',
    points: limits.loginFailuresPerAccount,
    duration: limits.loginFailureWindowSeconds,
  });
  readonly #byIp = new RateLimiterMemory({
    keyPrefix: 'login_ip',
    points: limits.loginFailuresPerIp,
    duration: limits.loginFailureWindowSeconds,
  });

  /** Throws 429 when either the account or the IP is locked. */
  async assertAllowed(ip: string, account: string): Promise<void> {
    const [byIp, byAccount] = await Promise.all([this.#byIp.get(ip), this.#byAccount.get(account)]);
    const waits = [
      byIp && byIp.consumedPoints >= limits.loginFailuresPerIp ? byIp.msBeforeNext : 0,
      byAccount && byAccount.consumedPoints >= limits.loginFailuresPerAccount ? byAccount.msBeforeNext : 0,
    ];
    const wait = Math.max(...waits);
    if (wait > 0) throw new RateLimitedError(Math.ceil(wait / 1000));
  }

  /** Records a failure; returns true when it just locked the account or IP. */
  async recordFailure(ip: string, account: string): Promise<boolean> {
    const locked = await Promise.all([
      this.#consume(this.#byIp, ip, limits.loginFailuresPerIp),
      this.#consume(this.#byAccount, account, limits.loginFailuresPerAccount),
    ]);
    return locked.some(Boolean);
  }

  async recordSuccess(account: string): Promise<void> {
    await this.#byAccount.delete(account);
  }

  async #consume(limiter: RateLimiterMemory, key: string, points: number): Promise<boolean> {
    try {
      const res = await limiter.consume(key);
      if (res.consumedPoints < points) return false;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
    }
    // Lockout starts now and lasts the full period, not the rest of the counting window.
    await limiter.block(key, limits.loginLockoutSeconds);
    return true;
  }
}
