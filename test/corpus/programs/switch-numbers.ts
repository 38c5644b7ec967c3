// switch on numbers, grouped cases, switch inside loops with continue.
function name(n: number): string {
  switch (n) {
    case 0:
      return "zero";
    case 1:
    case 2:
    case 3:
      return "few";
    case -1:
      return "minus one";
    default:
      return "many";
  }
}
for (let i = -1; i <= 5; i++) console.log(i, name(i));
let log = "";
for (let i = 0; i < 6; i++) {
  switch (i % 3) {
    case 0:
      log += "z";
      continue;
    case 1:
      log += "o";
      break;
    default:
      log += "t";
  }
  log += ".";
}
console.log(log);
const x = 10;
switch (x * 2) {
  case 20: {
    const msg = "twenty";
    console.log(msg);
    break;
  }
  case 30:
    console.log("thirty");
}
switch (x) {
  default:
    console.log("only default");
}
