// Program names that match runtime helpers, prelude constants or f_main get other Ion names.
const NL = "newline";
const AS = "as";
function rt_die(x: string): string { return "mine:" + x; }
function main(): void { console.log(NL, AS, rt_die("a"), ["x", "y"].join(NL)); }
main();
