/**
 * Ion's scope vector, reproducing the bookkeeping bug of ion-semantics.md §4.2
 * exactly: finished block scopes stay in the vector (cleared), and a call
 * detaches every slot above the function's defining slot and restores them
 * afterwards, leaving the current index at the topmost restored slot.
 */
import type { FnDef } from "./ast.ts";

export type Value =
  | { t: "str"; v: string }
  | { t: "arr"; v: string[] }
  | { t: "fn"; v: FnDef };

interface Slot {
  vars: Map<string, Value>;
  frame: boolean;
}

export class Scopes {
  slots: Slot[] = [{ vars: new Map(), frame: false }];
  cur = 0;

  newScope(frame: boolean): void {
    this.cur += 1;
    if (this.cur === this.slots.length) this.slots.push({ vars: new Map(), frame: false });
    this.slots[this.cur]!.frame = frame;
  }

  popScope(): void {
    this.slots[this.cur]!.vars.clear();
    this.cur -= 1;
  }

  /** first slot from cur down to 0 holding n */
  slotOf(n: string): number {
    for (let i = this.cur; i >= 0; i--) if (this.slots[i]!.vars.has(n)) return i;
    return -1;
  }

  get(n: string): Value | undefined {
    const i = this.slotOf(n);
    return i < 0 ? undefined : this.slots[i]!.vars.get(n);
  }

  /** update the nearest binding, searching outward and stopping after the first frame slot */
  assign(n: string, v: Value): void {
    for (let i = this.cur; i >= 0; i--) {
      const s = this.slots[i]!;
      if (s.vars.has(n)) {
        s.vars.set(n, v);
        return;
      }
      if (s.frame) break;
    }
    this.slots[this.cur]!.vars.set(n, v);
  }

  /** set directly in the current slot (function parameters) */
  setLocal(n: string, v: Value): void {
    this.slots[this.cur]!.vars.set(n, v);
  }

  /** remove the nearest binding; false when none is visible */
  drop(n: string): boolean {
    const i = this.slotOf(n);
    if (i < 0) return false;
    this.slots[i]!.vars.delete(n);
    return true;
  }

  /** block(stmts): new_scope(false); run; pop_scope() */
  block<T>(f: () => T): T {
    this.newScope(false);
    try {
      return f();
    } finally {
      this.popScope();
    }
  }

  /** The call algorithm of §4.2: detach above the defining slot, run, restore. */
  call<T>(name: string, bind: () => void, body: () => T): T {
    const d = this.slotOf(name);
    const saved = this.slots.slice(d + 1);
    this.slots.length = d + 1;
    this.cur = d;
    this.newScope(true);
    try {
      bind();
      return this.block(body);
    } finally {
      this.popScope();
      this.slots.length = this.cur + 1;
      this.cur += saved.length;
      this.slots.push(...saved);
    }
  }

  /** deep copy, for functions run in a forked pipeline stage (§9.3) */
  clone(): Scopes {
    const c = new Scopes();
    c.slots = this.slots.map((s) => ({
      frame: s.frame,
      vars: new Map([...s.vars].map(([k, v]) => [k, v.t === "arr" ? { t: "arr", v: [...v.v] } : v] as [string, Value])),
    }));
    c.cur = this.cur;
    return c;
  }
}
