# A stand-in for nixpkgs' lib, just enough to evaluate nix/module.nix and
# nix/package.nix without nixpkgs: an option is the record of its
# declaration, a type the record of its name and parameters.
{
  mkOption = declaration: declaration // { _type = "option"; };
  types = {
    str = {
      name = "str";
    };
    bool = {
      name = "bool";
    };
    unspecified = {
      name = "unspecified";
    };
    listOf = elemType: {
      name = "listOf";
      inherit elemType;
    };
    attrsOf = elemType: {
      name = "attrsOf";
      inherit elemType;
    };
    submodule = module: {
      name = "submodule";
      inherit (module) options;
    };
  };
  licenses.mit = {
    spdxId = "MIT";
  };
}
