// TypeScript keeps narrowing across calls (`done` is `false` to the checker
// after the call), but the compiled code must follow what really runs.
let done = false;
let count = 0;
function finish(): void {
  done = true;
  count = 2;
}
finish();
if (done) {
  console.log("done", done, !done, done || false, done ? "yes" : "no");
}
if (count > 1) console.log("count", count + 1);
