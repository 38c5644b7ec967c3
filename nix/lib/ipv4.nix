# IPv4 validation: a line-by-line port of guest-scripts/lib/ipv4.ts (the
# guest's own checks) using builtins only. Every `...Problem` function
# returns "" when the value is valid, or the reason it is not, worded to
# follow the value: "'10.0.0.300' is not a dotted-quad IPv4 address".
# test/nix/lib.test.ts compares every function with the TypeScript on
# the same inputs.
let
  twoPow32 = 4294967296;
  twoPow24 = 16777216;

  mod = a: b: a - (a / b) * b;
  startsWith = prefix: text: builtins.substring 0 (builtins.stringLength prefix) text == prefix;
  # True when `text` contains a match of `regex` (builtins.match anchors the whole string).
  containsMatch = regex: text: builtins.length (builtins.split regex text) > 1;
  # "a.b.c".split(".") in JavaScript: empty parts kept.
  splitDots = text: builtins.filter builtins.isString (builtins.split "[.]" text);
  range = from: to: if from > to then [ ] else builtins.genList (i: from + i) (to - from + 1);

  isDigits = text: builtins.match "[0-9]+" text != null;

  octetValue =
    text:
    if !(isDigits text) || builtins.stringLength text > 3 then
      -1
    # "010" is octal to some parsers and decimal to others: refuse it.
    else if builtins.stringLength text > 1 && startsWith "0" text then
      -1
    else
      let
        n = builtins.fromJSON text;
      in
      if n <= 255 then n else -1;

  ipValue =
    text:
    let
      parts = splitDots text;
      octets = map octetValue parts;
    in
    if builtins.length parts != 4 || builtins.any (n: n < 0) octets then
      -1
    else
      builtins.foldl' (acc: n: acc * 256 + n) 0 octets;

  ipText =
    value:
    let
      a = value / twoPow24;
      b = mod (value / 65536) 256;
      c = mod (value / 256) 256;
      d = mod value 256;
    in
    "${toString a}.${toString b}.${toString c}.${toString d}";

  blockSize = prefix: builtins.foldl' (acc: _: acc * 2) 1 (range prefix 31);

  maskText = prefix: ipText (twoPow32 - blockSize prefix);

  prefixOf =
    text:
    let
      t = if startsWith "/" text then builtins.substring 1 (builtins.stringLength text) text else text;
      mask = ipValue t;
      matching = builtins.filter (p: twoPow32 - blockSize p == mask) (range 0 32);
    in
    if isDigits t then
      (
        if builtins.stringLength t > 2 || (builtins.stringLength t > 1 && startsWith "0" t) then
          -1
        else
          let
            n = builtins.fromJSON t;
          in
          if n <= 32 then n else -1
      )
    else if mask < 0 then
      -1
    else if matching == [ ] then
      -1
    else
      builtins.head matching;

  networkValue = value: prefix: value - mod value (blockSize prefix);
  broadcastValue = value: prefix: networkValue value prefix + blockSize prefix - 1;
  sameSubnet = a: b: prefix: networkValue a prefix == networkValue b prefix;

  unicastProblem =
    value:
    let
      first = value / twoPow24;
    in
    if first == 0 then
      "is in 0.0.0.0/8, not a usable address"
    else if first == 127 then
      "is a loopback address"
    else if first >= 224 && first <= 239 then
      "is a multicast address"
    else if first >= 240 then
      "is a reserved or broadcast address"
    else
      "";

  hasSeveralWords = containsMatch "[ \t\n\r]";

  addressProblem =
    text:
    if text == "" then
      "is empty"
    else if hasSeveralWords text then
      "holds more than one value (one address expected)"
    else if containsMatch ":" text then
      "is an IPv6 address; only IPv4 is supported"
    else if containsMatch "/" text then
      "has a prefix; write the address alone and the mask to netmask"
    else if ipValue text < 0 then
      "is not a dotted-quad IPv4 address"
    else
      unicastProblem (ipValue text);

  netmaskProblem =
    text:
    let
      prefix = prefixOf text;
    in
    if text == "" then
      "is empty"
    else if hasSeveralWords text then
      "holds more than one value (one netmask expected)"
    else if prefix < 0 then
      (if ipValue text >= 0 then "is not a contiguous netmask" else "is neither a dotted netmask nor a prefix length 0-32")
    else if prefix == 0 then
      "is /0, which leaves no subnet for the gateway"
    else
      "";

  hostProblem =
    ip: prefix:
    let
      problem = addressProblem ip;
      value = ipValue ip;
    in
    if problem != "" then
      problem
    # /31 and /32 have no network or broadcast address (RFC 3021).
    else if prefix <= 30 && value == networkValue value prefix then
      "is the network address of its /${toString prefix} subnet"
    else if prefix <= 30 && value == broadcastValue value prefix then
      "is the broadcast address of its /${toString prefix} subnet"
    else
      "";

  gatewayProblem =
    gateway: ip: prefix:
    let
      problem = addressProblem gateway;
      gw = ipValue gateway;
      host = ipValue ip;
      subnet = "${ipText (networkValue host prefix)}/${toString prefix}";
    in
    if problem != "" then
      problem
    else if gw == host then
      "is the address itself"
    else if !(sameSubnet gw host prefix) then
      "is outside the subnet ${subnet}"
    else if prefix <= 30 && (gw == networkValue host prefix || gw == broadcastValue host prefix) then
      "is the network or broadcast address of ${subnet}"
    else
      "";

  dnsProblem = addressProblem;

  shown = builtins.replaceStrings [ "\r" "\n" "\t" ] [ "\\r" "\\n" "\\t" ];
in
{
  inherit
    isDigits
    octetValue
    ipValue
    ipText
    blockSize
    maskText
    prefixOf
    networkValue
    broadcastValue
    sameSubnet
    unicastProblem
    addressProblem
    netmaskProblem
    hostProblem
    gatewayProblem
    dnsProblem
    shown
    ;
}
