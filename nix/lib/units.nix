# The init files of the guest file set, read from guest-scripts/init/ as
# pack/init-units.ts reads them (their one source; no unit text lives in
# Nix): guest-scripts/init/<era>/<role>/<name>, the only file of its
# directory, installed as /etc/init.d/<name>. era: "current" or "legacy";
# role: a script (its boot unit) or "dhcpd-shadow". The path is inside the
# repository, so it is part of the flake's source and readable in pure
# evaluation. Builtins only.
let
  initDir = ../../guest-scripts/init;
in
{
  scriptPath = script: "usr/bin/${script}";

  initFile =
    init: role:
    let
      dir = initDir + "/${init}/${role}";
      entries = builtins.readDir dir;
      names = builtins.filter (name: entries.${name} == "regular") (builtins.attrNames entries);
      name = builtins.head names;
    in
    if builtins.length names != 1 then
      throw "tsion: ${toString dir} must hold exactly one init file, not ${toString (builtins.length names)}"
    else
      {
        path = "etc/init.d/${name}";
        content = builtins.readFile (dir + "/${name}");
      };
}
