import { wrap } from "./strings.ts";
export type Kind = "info" | "warn";
export function format(kind: Kind, msg: string): string {
  return `${wrap(kind)} ${msg}`;
}
