// listDir on a directory the program fills itself.
import { isDir, listDir, run, writeFile } from "tsion/runtime";
console.log(listDir(".").length);
for (const n of ["b.txt", "a.txt", "c.conf"]) writeFile(n, n);
const entries = listDir(".");
console.log(entries.length, entries.join(","));
for (const e of entries) {
  if (e.endsWith(".txt")) console.log("text", e);
}
console.log(run("mkdir", "sub"), isDir("sub"));
writeFile("sub/inner", "x");
console.log(listDir("sub").join(","), listDir(".").includes("sub"));
