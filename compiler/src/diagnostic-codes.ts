/**
 * Every subset diagnostic the compiler reports: code, message template and
 * hint. docs/diagnostics.md lists the same table; test/compiler/diagnostics
 * has a test per code.
 */
export const Codes = {
  FileUnreadable: { code: "TSION1000", hint: "Check the path." },
  UnsupportedSyntax: { code: "TSION1001", hint: "Only the constructs listed in docs/subset.md compile to Ion." },
  UnsupportedType: { code: "TSION1002", hint: "Use string, number (integers), boolean, arrays of these or string-literal unions." },
  NonIntegerNumber: { code: "TSION1003", hint: "Numbers are integers in Ion; write Math.trunc(a / b) or Math.floor(a / b) for division." },
  UnsupportedCall: { code: "TSION1004", hint: "Call a top-level function of the program, a tsion/runtime primitive or a supported built-in." },
  UnsupportedMember: { code: "TSION1005", hint: "See docs/subset.md for the supported string and array members." },
  UnsupportedImport: { code: "TSION1006", hint: "Import from \"tsion/runtime\" or a relative guest module (\"./lib/x.ts\")." },
  NestedFunction: { code: "TSION1007", hint: "Declare functions at the top level of a module; Ion has no closures." },
  ArrayAliasing: { code: "TSION1008", hint: "Ion copies arrays; mutate only arrays created by a literal, split(), listDir() or args() in the same function." },
  EnvNameNotLiteral: { code: "TSION1009", hint: "Write env(\"NAME\") with a literal name made of letters, digits and _." },
  ConsoleFormat: { code: "TSION1011", hint: "Only %s, %d, %i, %c and %% are supported in console.log format strings." },
  BuiltinCommand: { code: "TSION1012", hint: "This name is an Ion builtin, so Ion would not run the external program; use its absolute path (e.g. /usr/bin/echo)." },
  ModuleVarInit: { code: "TSION1013", hint: "Give module-level variables an initial value." },
  UnsupportedStatement: { code: "TSION1014", hint: "Only the statements listed in docs/subset.md compile to Ion." },
  SpreadArgument: { code: "TSION1016", hint: "Spread only a string[] as the last argument of run() or capture()." },
  InternalError: { code: "TSION9999", hint: "This is a bug in tsion; please report it with the input program." },
} as const;

export type CodeName = keyof typeof Codes;
