// A counting semaphore whose waiters give up at a deadline: at most N ssh sessions per master.

export class Slots {
  private free: number;
  private readonly waiters: { wake: () => void }[] = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  /** True once a slot is held; false when the deadline passed first. */
  async acquire(deadline: number): Promise<boolean> {
    if (this.free > 0) {
      this.free--;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const waiter = {
        wake: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(
        () => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          resolve(false);
        },
        Math.max(0, deadline - Date.now()),
      );
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next.wake();
    else this.free++;
  }
}
