{
  description = "tsion: Redox guest network scripts written in a TypeScript subset, compiled to Ion and packed into images";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  # Everything else is in nix/ (see docs/packing.md).
  outputs = { nixpkgs, ... }: import ./nix/outputs.nix { inherit nixpkgs; };
}
