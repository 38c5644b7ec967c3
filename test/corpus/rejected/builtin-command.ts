// run() of a name that Ion runs as a builtin would not run the external program.
import { run } from "tsion/runtime";
run("echo", "hello"); // error
