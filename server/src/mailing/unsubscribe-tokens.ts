import mongoose from 'mongoose';
import type { SecretBox } from '../security/secret-box.ts';

export interface UnsubscribeRef {
  kind: 'client' | 'contact';
  id: mongoose.Types.ObjectId;
  campaignId: string;
}

/**
 * The unsubscribe link's token: who and which campaign, sealed with the server's secret box
 * (AES-256-GCM), so a forged or altered token fails to open and nobody can unsubscribe anyone
 * else by guessing ids.
 */
export class UnsubscribeTokens {
  readonly #box: SecretBox;

  constructor(box: SecretBox) {
    this.#box = box;
  }

  issue(ref: UnsubscribeRef): string {
    return this.#box.seal(`${ref.kind === 'client' ? 'c' : 'p'}:${String(ref.id)}:${ref.campaignId}`);
  }

  /** The reference, or null for anything not sealed by this server. */
  open(token: string): UnsubscribeRef | null {
    let plain: string;
    try {
      plain = this.#box.open(token);
    } catch {
      return null;
    }
    const match = /^([cp]):([0-9a-f]{24}):([0-9a-f]{24})$/.exec(plain);
    if (!match) return null;
    return {
      kind: match[1] === 'c' ? 'client' : 'contact',
      id: new mongoose.Types.ObjectId(match[2]),
      campaignId: match[3],
    };
  }
}
