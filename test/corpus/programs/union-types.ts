// String-literal union types in variables, parameters and returns.
type Mode = "dhcp" | "static" | "off";
type Level = "low" | "high";

function describe(mode: Mode): string {
  if (mode === "dhcp") return "automatic";
  if (mode === "static") return "manual";
  return "disabled";
}

function toLevel(n: number): Level {
  return n > 10 ? "high" : "low";
}

const modes: Mode[] = ["dhcp", "static", "off"];
for (const m of modes) {
  console.log(m, describe(m));
}
let current: Mode = "off";
current = "static";
console.log(current, describe(current));
console.log(toLevel(3), toLevel(30));
const lv: Level = toLevel(11);
console.log(lv === "high");
