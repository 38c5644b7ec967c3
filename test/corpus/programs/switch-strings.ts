// switch on strings: fall-through, default in the middle, break inside nested if.
function kind(s: string): string {
  let out = "";
  switch (s) {
    case "a":
      out += "A";
    case "b":
      out += "B";
      break;
    default:
      out += "D";
    case "c":
      out += "C";
      break;
    case "d":
      if (out === "") {
        out += "d1";
        break;
      }
      out += "d2";
      break;
    case "":
      out = "empty";
  }
  return out;
}
for (const s of ["a", "b", "c", "d", "e", "", "-n"]) {
  console.log(`${s} -> ${kind(s)}`);
}
type Color = "red" | "green" | "blue";
function hex(c: Color): string {
  switch (c) {
    case "red":
      return "#f00";
    case "green":
      return "#0f0";
    case "blue":
      return "#00f";
  }
}
console.log(hex("red"), hex("green"), hex("blue"));
