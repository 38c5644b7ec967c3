// Object literals are outside the subset.
const cfg = { mode: "dhcp", mtu: 1500 }; // error
console.log(cfg.mode);
