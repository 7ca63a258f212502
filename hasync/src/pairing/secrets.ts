import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Device tokens: the prefix makes a leaked token recognisable to secret scanners. */
export const TOKEN_PREFIX = 'hasync_';
const TOKEN_BYTES = 32;
/** 16 bytes = 128 bits: a QR code secret nobody can guess within a PIN's lifetime. */
const CODE_BYTES = 16;

/** Six digits from the CSPRNG, leading zeros kept. */
export function generatePin(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function generateCode(): string {
  return randomBytes(CODE_BYTES).toString('base64url');
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A PIN's hash is bound to its pairing so equal PINs of different pairings differ in storage. */
export function hashPin(pairingId: string, pin: string): string {
  return sha256Hex(`${pairingId}:${pin}`);
}

/** Compares two equal-length hex digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
