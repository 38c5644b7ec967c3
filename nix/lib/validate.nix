# The network configuration validator: the second implementation of
# pack/validate.ts (Nix cannot run the TypeScript). Same rules, same order,
# same messages: test/nix/agreement.test.ts feeds both the same
# configurations. Builtins only.
#
# Input: { mode?, static?, label?, init?, netcheck? } as in `tsion pack --config`;
# absent attributes take the defaults, `static = null` means no static
# values. Output: { ok; config; problems; } where every problem is
# { field; problem; } plus `value` when there is one.
let
  ipv4 = import ./ipv4.nix;
  defaults = import ./defaults.nix;

  configKeys = [
    "mode"
    "static"
    "label"
    "init"
    "netcheck"
  ];
  staticKeys = [
    "ip"
    "netmask"
    "gateway"
    "dns"
  ];
  reservedLabels = [
    "dns"
    "ip"
    "ip_router"
    "ip_subnet"
    "mac"
    "netcfg"
  ];

  elem = builtins.elem;
  concatMap = f: list: builtins.concatLists (map f list);
  join = sep: list: builtins.concatStringsSep sep list;
  orList =
    words:
    let
      n = builtins.length words;
    in
    if n == 1 then builtins.head words else "${join ", " (builtins.genList (i: builtins.elemAt words i) (n - 1))} or ${builtins.elemAt words (n - 1)}";

  bad = field: value: problem: { inherit field value problem; };
  missing = field: problem: { inherit field problem; };

  # Surrounding whitespace the guest would trim (refused, so files hold exactly the value).
  edgeChars = [
    " "
    "\t"
    "\r"
    "\n"
  ];
  hasEdgeWhitespace =
    text:
    text != ""
    && (
      elem (builtins.substring 0 1 text) edgeChars
      || elem (builtins.substring (builtins.stringLength text - 1) 1 text) edgeChars
    );
  safeLabel = text: builtins.match "[A-Za-z0-9_][A-Za-z0-9._-]{0,63}" text != null;

  showValue = value: if builtins.isString value then "'${ipv4.shown value}'" else builtins.toJSON value;
  formatProblem = p: if p ? value then "${p.field}: ${showValue p.value} ${p.problem}" else "${p.field}: ${p.problem}";

  checkStatic =
    raw:
    let
      shapeOf =
        key:
        if !(raw ? ${key}) then
          {
            hasValue = false;
            text = "missing";
          }
        else if !(builtins.isString raw.${key}) then
          {
            hasValue = true;
            text = "is not a string";
          }
        else if hasEdgeWhitespace raw.${key} then
          {
            hasValue = true;
            text = "has leading or trailing whitespace";
          }
        else
          null;
      shape = {
        ip = shapeOf "ip";
        netmask = shapeOf "netmask";
        gateway = shapeOf "gateway";
      };
      # As the guest does: the mask first, since the address and the gateway are judged in its subnet.
      prefix =
        if shape.netmask == null && ipv4.netmaskProblem raw.netmask == "" then ipv4.prefixOf raw.netmask else -1;
      ipProblem = if shape.ip == null then ipv4.hostProblem raw.ip (if prefix >= 0 then prefix else 32) else "";
      problemOf = {
        ip = ipProblem;
        netmask = if shape.netmask == null then ipv4.netmaskProblem raw.netmask else "";
        # Without a valid address and subnet the gateway is still checked on its own.
        gateway =
          if shape.gateway != null then
            ""
          else if shape.ip == null && ipProblem == "" && prefix >= 0 then
            ipv4.gatewayProblem raw.gateway raw.ip prefix
          else
            ipv4.addressProblem raw.gateway;
      };
      fieldProblems =
        key:
        let
          field = "static.${key}";
          sh = shape.${key};
        in
        if sh != null then
          [ (if sh.hasValue then bad field raw.${key} sh.text else missing field sh.text) ]
        else if problemOf.${key} != "" then
          [ (bad field raw.${key} problemOf.${key}) ]
        else
          [ ];
      rawDns = raw.dns or [ ];
      entryProblems =
        i: entry:
        let
          field = "static.dns[${toString i}]";
        in
        if !(builtins.isString entry) then
          [ (bad field entry "is not a string") ]
        else if hasEdgeWhitespace entry then
          [ (bad field entry "has leading or trailing whitespace") ]
        else if ipv4.dnsProblem entry != "" then
          [ (bad field entry (ipv4.dnsProblem entry)) ]
        else
          [ ];
      dnsProblems =
        if !(builtins.isList rawDns) then
          [ (bad "static.dns" rawDns "is not a list of addresses") ]
        else
          (
            if builtins.length rawDns > 1 then
              [
                (bad "static.dns" rawDns "holds ${toString (builtins.length rawDns)} servers; at most one is supported (relibc reads exactly one line of /etc/net/dns)")
              ]
            else
              [ ]
          )
          ++ builtins.concatLists (builtins.genList (i: entryProblems i (builtins.elemAt rawDns i)) (builtins.length rawDns));
    in
    if !(builtins.isAttrs raw) then
      [ (bad "static" raw "is not an object with ip, netmask, gateway and dns") ]
    else
      concatMap (key: if elem key staticKeys then [ ] else [ (missing "static.${key}" "unknown setting (expected ${join ", " staticKeys})") ]) (
        builtins.attrNames raw
      )
      ++ concatMap fieldProblems [
        "ip"
        "netmask"
        "gateway"
      ]
      ++ dnsProblems;

  validate =
    raw:
    let
      mode = raw.mode or defaults.mode;
      init = raw.init or defaults.init;
      label = raw.label or defaults.label;
      rawStatic = raw.static or defaults.static;
      netcheck = raw.netcheck or defaults.netcheck;
      modeOk = builtins.isString mode && elem mode defaults.modes;
      modeProblems =
        if !(builtins.isString mode) then
          [ (bad "mode" mode "is not a string") ]
        else if !modeOk then
          [ (bad "mode" mode "is not a network mode (expected ${orList defaults.modes})") ]
        else
          [ ];
      initProblems =
        if !(builtins.isString init) then
          [ (bad "init" init "is not a string") ]
        else if !(elem init defaults.inits) then
          [ (bad "init" init "is not an init era (expected ${orList defaults.inits})") ]
        else
          [ ];
      labelProblems =
        if !(builtins.isString label) then
          [ (bad "label" label "is not a string") ]
        else if !(safeLabel label) then
          [
            (bad "label" label "is not a safe directory name (1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-')")
          ]
        else if elem label reservedLabels then
          [ (bad "label" label "is reserved (/etc/net/${label} belongs to Redox or to the scripts)") ]
        else
          [ ];
      usesStatic = modeOk && elem mode [
        "auto"
        "static"
      ];
      staticProblems =
        if !usesStatic then
          [ ]
        else if rawStatic == null then
          (if mode == "static" then [ (missing "static" "missing (static mode needs ip, netmask and gateway)") ] else [ ])
        else
          checkStatic rawStatic;
      netcheckProblems =
        if !(builtins.isBool netcheck) then
          [ (bad "netcheck" netcheck "is not a boolean (true or false)") ]
        # In mode none no script configures the network: every check would fail, always.
        else if netcheck && mode == "none" then
          [ (bad "netcheck" netcheck "has nothing to check in mode none (no script configures the network)") ]
        else
          [ ];
      problems =
        if !(builtins.isAttrs raw) then
          [ (bad "configuration" raw "is not an object (expected ${join ", " configKeys})") ]
        else
          concatMap (key: if elem key configKeys then [ ] else [ (missing key "unknown setting (expected ${join ", " configKeys})") ]) (
            builtins.attrNames raw
          )
          ++ modeProblems
          ++ initProblems
          ++ labelProblems
          ++ staticProblems
          ++ netcheckProblems;
    in
    {
      ok = problems == [ ];
      inherit problems;
      config = {
        inherit mode init label netcheck;
        static =
          if usesStatic && rawStatic != null then
            {
              inherit (rawStatic) ip netmask gateway;
              dns = rawStatic.dns or [ ];
            }
          else
            null;
      };
    };
in
{
  inherit validate formatProblem showValue;
}
