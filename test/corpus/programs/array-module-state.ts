// A module-level array pushed to and read from functions.
const queue: string[] = [];
let head = 0;
function enqueue(s: string): void {
  queue.push(s);
}
function dequeue(): string {
  if (head >= queue.length) return "";
  const v = queue[head];
  head++;
  return v;
}
function size(): number {
  return queue.length - head;
}
enqueue("first");
enqueue("-n");
enqueue("$x");
console.log(size(), dequeue(), size());
enqueue("last");
let v = dequeue();
while (v !== "") {
  console.log("got", v);
  v = dequeue();
}
console.log(size(), queue.join(","));
queue[0] = "changed";
console.log(queue[0], queue.indexOf("last"));
