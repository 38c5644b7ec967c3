// Module-level state read and written from functions.
let counter = 0;
let log = "";
const names: string[] = [];
let enabled = false;

function bump(by: number): number {
  counter += by;
  return counter;
}
function record(event: string): void {
  log += event + ";";
  names.push(event);
}
function toggle(): boolean {
  enabled = !enabled;
  return enabled;
}
function reset(): void {
  counter = 0;
  log = "";
}

console.log(bump(1), bump(2), bump(-10));
record("start");
record("step");
console.log(log, names.length);
console.log(toggle(), toggle(), toggle(), enabled);
for (let i = 0; i < 3; i++) {
  if (bump(i) > 0) record(`pos${i}`);
}
console.log(counter, log, names.join(","));
reset();
console.log(counter, `[${log}]`, names.length);
