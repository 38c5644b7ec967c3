// writeFile / readFile / appendFile / exists / isFile / isDir / remove on relative paths.
import { appendFile, exists, isDir, isFile, readFile, remove, writeFile } from "tsion/runtime";
console.log(exists("data.txt"), isFile("data.txt"), isDir("."), isDir("data.txt"));
console.log(writeFile("data.txt", "line one\n"));
console.log(exists("data.txt"), isFile("data.txt"), isDir("data.txt"));
console.log(appendFile("data.txt", "line two\n"));
const content = readFile("data.txt");
console.log(`[${content}]`, content.length);
console.log(readFile("data.txt").split("\n").length);
console.log(writeFile("data.txt", "replaced"));
console.log(readFile("data.txt"));
console.log(writeFile("missing-dir/x.txt", "nope"), exists("missing-dir/x.txt"));
console.log(writeFile(".", "dir"));
console.log(remove("data.txt"), exists("data.txt"), remove("data.txt"));
console.log(writeFile("empty.txt", ""), isFile("empty.txt"), `[${readFile("empty.txt")}]`);
console.log(appendFile("new.txt", "created by append"), readFile("new.txt"));
console.log(exists(""), isFile(""), isDir(""));
