// listDir on a directory the program fills itself, then what Ion's glob (listDir's lowering)
// makes special: hidden entries, names a glob or the shell would treat
// specially, directories whose own names are patterns, a trailing slash, an empty directory,
// an entry named *, and a directory named like an option. Last, a directory whose path holds
// whitespace cannot be listed (Ion cuts the glob's word there): the program stops with a
// located message, on both backends.
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
run("mkdir", "-p", "d/sub", "empty", "br[a]ck*t?", "./-dash", "star", "x[", "a b");
for (const n of [".hidden", "b", "B", "a b", "é", "\uFF21", "\u{1F600}", "x*y", "[z]", "q?", "-n", "nl\nname"]) {
  writeFile(`d/${n}`, n);
}
function show(path: string): void {
  const names = listDir(path);
  console.log(`${path}: ${names.length} [${names.join("|")}]`);
}
show("d");
show("d/");
show("./d");
show("empty");
writeFile("br[a]ck*t?/in", "1");
show("br[a]ck*t?");
writeFile("-dash/x", "1");
show("-dash");
writeFile("star/*", "1");
writeFile("star/s", "1");
show("star");
show("x[");
show("d/sub");
console.log(isDir("a b"));
show("a b");
console.log("not reached");
