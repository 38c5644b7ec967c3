#!/bin/busybox sh
# /init of tsion's stand-in test guest (a Linux kernel + busybox, booted by
# `tsion vm test` under QEMU where no Redox image is available). It does what
# netcfg + netcheck do on Redox, with busybox tools: take a DHCP lease on
# eth0, then print the same check protocol as guest-scripts/netcheck.ts
# (TSION_CHECK:<name>:PASS|FAIL:<reason>, then TSION_CHECKS_DONE), then
# power off. The checks read the same facts: an address, exactly one default
# route, /etc/net/dns holding one IPv4, the gateway answering ping.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Kernel messages from here on would land in the middle of our lines on the console.
dmesg -n 1
echo "tsion-standin: init started"

while read -r m; do
  insmod "/lib/modules/$m.ko" || echo "tsion-standin: insmod $m failed"
done < /etc/modules.order
ip link set lo up
ip link set eth0 up || echo "tsion-standin: no eth0"

mkdir -p /etc/net
# -n: give up (exit 1) without a lease; 6 DISCOVERs one second apart.
udhcpc -i eth0 -s /etc/udhcpc.script -n -q -f -t 6 -T 1 || echo "tsion-standin: no DHCP lease"

check() { echo "TSION_CHECK:$1:$2:$3"; }

addr=$(ip -4 -o addr show dev eth0 | sed -n 's/.* inet \([0-9.]*\/[0-9]*\) .*/\1/p' | head -n 1)
if [ -n "$addr" ]; then check address PASS "eth0 has $addr"; else check address FAIL "eth0 has no IPv4 address"; fi

routes=$(ip route show default)
count=$(printf '%s\n' "$routes" | grep -c '^default')
gw=$(printf '%s\n' "$routes" | sed -n 's/^default via \([0-9.]*\).*/\1/p' | head -n 1)
if [ "$count" = 1 ]; then check default-route PASS "one default route, via $gw"; else check default-route FAIL "$count default routes"; fi

if [ ! -f /etc/net/dns ]; then
  check dns FAIL "/etc/net/dns does not exist"
elif [ "$(grep -c . /etc/net/dns)" != 1 ]; then
  check dns FAIL "/etc/net/dns holds $(grep -c . /etc/net/dns) lines, not one"
elif grep -Eq '^([0-9]{1,3}\.){3}[0-9]{1,3}$' /etc/net/dns; then
  check dns PASS "/etc/net/dns is $(cat /etc/net/dns)"
else
  check dns FAIL "/etc/net/dns is '$(cat /etc/net/dns)', not one IPv4 address"
fi

if [ -z "$gw" ]; then
  check gateway-ping FAIL "no default gateway to ping"
else
  stats=$(ping -c 2 -W 2 "$gw" 2>&1 | sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\1 \2/p')
  sent=${stats% *}
  got=${stats#* }
  if [ -z "$stats" ]; then check gateway-ping FAIL "ping $gw printed no statistics"
  elif [ "$got" -gt 0 ]; then check gateway-ping PASS "gateway $gw answered $got of $sent pings"
  else check gateway-ping FAIL "gateway $gw did not answer ($sent packets transmitted, 0 packets received)"; fi
fi

echo TSION_CHECKS_DONE
poweroff -f
