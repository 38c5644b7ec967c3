/**
 * A stack of undo steps for the DHCP lab. Every step registered so far runs
 * (last in, first out) even when some of them fail, so one broken step never
 * leaves the rest of the lab behind.
 */
export class Teardown {
  private readonly steps: { what: string; undo: () => Promise<void> | void }[] = [];
  /** Names of the steps that ran, in order (tests check this). */
  readonly done: string[] = [];

  add(what: string, undo: () => Promise<void> | void): void {
    this.steps.push({ what, undo });
  }

  get pending(): number {
    return this.steps.length;
  }

  /** Run every step; throws an AggregateError listing the steps that failed. */
  async run(): Promise<void> {
    const errors: Error[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.undo();
        this.done.push(step.what);
      } catch (e) {
        errors.push(new Error(`teardown "${step.what}" failed: ${(e as Error).message}`));
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join("; "));
  }
}
