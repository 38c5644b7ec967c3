// A realistic mini-parser: split lines, trim, key=value, switch on keys.
const text = "# comment\nmode = static\naddr=10.0.2.15 \n\n  gateway = 10.0.2.2\nbad line\nmtu=1500\n";
let mode = "dhcp";
let addr = "";
let gateway = "";
let mtu = 0;
let errors = 0;
for (const raw of text.split("\n")) {
  const line = raw.trim();
  if (line === "" || line.startsWith("#")) continue;
  const eq = line.indexOf("=");
  if (eq < 0) {
    console.log(`bad: ${line}`);
    errors++;
    continue;
  }
  const key = line.slice(0, eq).trim();
  const value = line.slice(eq + 1).trim();
  switch (key) {
    case "mode":
      mode = value;
      break;
    case "addr":
      addr = value;
      break;
    case "gateway":
      gateway = value;
      break;
    case "mtu":
      mtu = parseInt(value, 10);
      break;
    default:
      errors++;
  }
}
console.log(mode, addr, gateway, mtu + 1, errors);
const octets = addr.split(".");
console.log(octets.length, Number(octets[3]) + 1);
