/** Finding host tools by name: the rule lives in host/executables.ts. */
export { findExecutable } from "../../host/executables.ts";
