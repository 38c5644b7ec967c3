/**
 * Ion's scope vector (upstream members/scopes-rs), reproducing its bookkeeping bug (cases
 * scope_bug_*) exactly: finished block scopes stay in the vector (cleared), and a call
 * detaches every slot above the function's defining slot and restores them
 * afterwards, leaving the current index at the topmost restored slot.
 */
import type { FnDef } from "./ast.ts";

export type Value =
  | { t: "str"; v: string }
  | { t: "arr"; v: string[] }
  | { t: "fn"; v: FnDef }
  | { t: "alias"; v: string }
  /** `hmap` (insertion order here; ion's HashMap order is random) or `bmap` (sorted by key) */
  | { t: "map"; sorted: boolean; v: Map<string, Value> };

/** types-rs `Display for Value`: arrays and maps (their values) joined by spaces */
export function valueText(v: Value): string {
  switch (v.t) {
    case "str":
    case "alias":
      return v.v;
    case "arr":
      return v.v.join(" ");
    case "map":
      return [...mapEntries(v)].map(([, x]) => valueText(x)).join(" ");
    case "fn":
      return "";
  }
}

/** a map's entries in ion's iteration order */
export function mapEntries(m: Extract<Value, { t: "map" }>): [string, Value][] {
  const e = [...m.v];
  if (m.sorted) e.sort(([a], [b]) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  return e;
}

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

  /**
   * Variables::get: `global::x` is the topmost binding among the slots below the first function
   * frame; `super::x` (repeatable) skips one function frame per prefix.
   */
  get(n: string): Value | undefined {
    if (n.includes("::")) {
      if (n.startsWith("global::")) {
        const name = n.slice(8);
        let found: Value | undefined;
        for (let i = 0; i <= this.cur && !this.slots[i]!.frame; i++) found = this.slots[i]!.vars.get(name) ?? found;
        return found;
      }
      if (n.startsWith("super::")) {
        let up = 0;
        let name = n;
        while (name.startsWith("super::")) {
          name = name.slice(7);
          up++;
        }
        for (let i = this.cur; i >= 0; i--) {
          const s = this.slots[i]!;
          if (up === 0) {
            const v = s.vars.get(name);
            if (v !== undefined) return v;
            if (s.frame) return undefined;
          } else if (s.frame) up--;
        }
        return undefined;
      }
    }
    const i = this.slotOf(n);
    return i < 0 ? undefined : this.slots[i]!.vars.get(n);
  }

  /** update the nearest binding, searching outward and stopping after the first frame slot */
  assign(n: string, v: Value): void {
    if (n.startsWith("super::") || n.startsWith("global::")) {
      // get_mut refuses namespaced names, so `set` adds the name as written to the current slot
      this.slots[this.cur]!.vars.set(n, v);
      return;
    }
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

  /** remove the nearest binding, searching outward and stopping after the first frame (remove_variable) */
  drop(n: string): boolean {
    if (n.startsWith("super::") || n.startsWith("global::")) return false;
    for (let i = this.cur; i >= 0; i--) {
      const s = this.slots[i]!;
      if (s.vars.delete(n)) return true;
      if (s.frame) return false;
    }
    return false;
  }

  /** set_global: drop the visible binding, then set in the bottom slot (aliases) */
  setGlobal(n: string, v: Value): void {
    this.drop(n);
    this.slots[0]!.vars.set(n, v);
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

  /** The call algorithm: detach above the defining slot, run, restore. */
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

  /** deep copy, for functions run in a forked pipeline stage (io_pipeline_function_forked) */
  clone(): Scopes {
    const c = new Scopes();
    c.slots = this.slots.map((s) => ({
      frame: s.frame,
      // values are never mutated in place, so the copy can share them
      vars: new Map(s.vars),
    }));
    c.cur = this.cur;
    return c;
  }
}
