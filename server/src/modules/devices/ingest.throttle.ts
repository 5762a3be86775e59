// The ingest pipeline's per-device token buckets (ingest.ts): `rate` messages per second
// sustained, `burst` at once.
export class DeviceThrottle {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly rate: number,
    readonly burst: number,
  ) {}

  /** Take a token for the device; false when it has none left. */
  take(id: string, now: number): boolean {
    let b = this.buckets.get(id);
    if (!b) {
      b = { tokens: this.burst, at: now };
      this.buckets.set(id, b);
    } else if (now > b.at) {
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** After a refused take: ms until the device's next token. */
  waitMs(id: string): number {
    const b = this.buckets.get(id);
    return b ? Math.max(1, Math.ceil(((1 - b.tokens) / this.rate) * 1000)) : 0;
  }
}
