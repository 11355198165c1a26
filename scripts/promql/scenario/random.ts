// Seeded randomness: every series draws from its own stream, keyed by its name, so the dataset is the same on every
// machine and adding a series does not shift the values of the others.
import { createHash } from 'node:crypto';

export type Random = () => number;

export function seededRandom(seed: string): Random {
  // mulberry32 over a 32-bit seed taken from the key's SHA-256: fast enough for millions of samples.
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

// A short lowercase suffix like Kubernetes' ReplicaSet and pod hashes.
export function podHash(random: Random, length: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) {
    out += pick(random, alphabet.split(''));
  }
  return out;
}
