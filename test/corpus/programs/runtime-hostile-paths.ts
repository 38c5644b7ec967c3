// File names that look like options or contain shell syntax.
import { exists, isFile, listDir, readFile, remove, writeFile } from "tsion/runtime";
const names = ["-n", "--help", "a b", "$x", "@y", "it's", "(p)", "#c", "~t", "x*"];
for (const n of names) {
  const ok = writeFile(n, `content of ${n}\n`);
  console.log(n, ok, exists(n), isFile(n));
}
console.log(listDir(".").join("|"));
for (const n of names) {
  console.log(readFile(n) === `content of ${n}\n`);
}
for (const n of names) {
  console.log(remove(n), exists(n));
}
console.log(listDir(".").length);
