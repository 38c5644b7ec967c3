# A file set as a root overlay directory (a derivation), with builtins only:
# each file's text is handed to the builder through passAsFile and copied to
# $out/<path> with its mode. The store keeps only the execute bit (0444 or
# 0555); an image builder applies the `mode` of each entry itself.
#
#   shell: the builder, e.g. "${pkgs.bash}/bin/bash" (or "/bin/sh" without a sandbox)
#   path:  PATH for mkdir, cp and chmod, e.g. "${pkgs.coreutils}/bin"
{
  files,
  system,
  shell,
  path,
  name ? "tsion-network-overlay",
}:
let
  paths = builtins.attrNames files;
  entries = builtins.genList (i: {
    attr = "file${toString i}";
    path = builtins.elemAt paths i;
  }) (builtins.length paths);
  quote = s: "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] s}'";
  copy =
    e:
    let
      dest = "\"$out\"/${quote e.path}";
    in
    ''
      mkdir -p "$out"/${quote (dirOf e.path)}
      cp "''$${e.attr}Path" ${dest}
      chmod ${files.${e.path}.mode} ${dest}
    '';
in
derivation (
  {
    inherit name system;
    builder = shell;
    args = [
      "-c"
      (
        ''
          set -eu
          PATH=${quote path}
          mkdir "$out"
        ''
        + builtins.concatStringsSep "" (map copy entries)
      )
    ];
    passAsFile = map (e: e.attr) entries;
  }
  // builtins.listToAttrs (
    map (e: {
      name = e.attr;
      value = files.${e.path}.text;
    }) entries
  )
)
