const DISCORD_EPOCH = 1_420_070_400_000n;

/** Discord-shaped ids (timestamp, worker, increment), increasing within one fake. */
export class Snowflakes {
  private increment = 0n;

  next(at: number = Date.now()): string {
    this.increment = (this.increment + 1n) & 0xfffn;
    return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.increment).toString();
  }
}
