/**
 * Logging for every netcfg script: each line starts with the script's name
 * (`netcfg-auto: ...`) so that boot logs in /scheme/log say who spoke.
 * Progress goes to stdout, warnings and errors to stderr.
 */

let scriptName = "netcfg";

/** Set the prefix; each entry script calls this first. */
export function setScriptName(name: string): void {
  scriptName = name;
}

export function info(message: string): void {
  console.log(`${scriptName}: ${message}`);
}

export function warn(message: string): void {
  console.error(`${scriptName}: warning: ${message}`);
}

export function error(message: string): void {
  console.error(`${scriptName}: error: ${message}`);
}
