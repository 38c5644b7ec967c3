import { history, total } from "./counter.ts";
export function report(label: string): string {
  return `${label}: ${total()} [${history()}]`;
}
