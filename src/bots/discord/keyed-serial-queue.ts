/**
 * Runs tasks one after another per key and concurrently across keys. discord.js does not
 * wait for handlers, so the core may call `send` for one recipient several times at once;
 * without this, two notices (or an interaction reply and its follow-up) could land in the
 * DM in the wrong order.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  get activeKeys(): number {
    return this.tails.size;
  }
}
