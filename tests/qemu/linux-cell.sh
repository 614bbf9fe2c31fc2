# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: -t 600 --files tests/lib/guest.sh --files build/fixtures --files build/linux-cell
# serial-expect: \[linux\] LINUX-CELL: ready
# serial-expect: linux: CPU \d: read of unowned IPA 0x9010000
# A second Linux in a cell next to the root and the RTOS, on a system that
# never seals (fixtures/system-open-linux.cell): it boots to its init with its own
# CPUs, memory and console and sees none of the root's devices; the three
# make progress at once; console input from the root reaches it; its
# poweroff stops only the cell, which then boots again; its reboot restarts
# it; it boots again after a destroy; bad cell files and a kernel too large
# are refused with reasons.
. ./guest.sh

F=fixtures
L=linux-cell
BOOT="console=ttyAMA0 rdinit=/init"

# everything Haven's console says, from now on, in /tmp/console.log
havenctl_console_log() {
	havenctl console -f >/tmp/console.log 2>&1 &
	CONSOLE_PID=$!
}

# the value after "LINUX-CELL: KEY " in the cell's last report of KEY
cell_said() {
	grep "\[linux\] LINUX-CELL: $1 " /tmp/console.log | tail -n 1 | sed "s/.*LINUX-CELL: $1 //"
}

rtos_heartbeat() {
	havenctl cell stats rtos --json | sed -n 's/.*"heartbeat": *\([0-9]*\).*/\1/p'
}

# boot_linux [OPTIONS]: create (if needed), load and start the Linux cell
boot_linux() {
	expect_ok havenctl cell linux linux.cell $L/Image -i $L/initramfs.cpio -c "$BOOT" "$@"
}

expect_ok insmod haven.ko
expect_ok havenctl enable $F/system-open-linux.cell
havenctl_console_log
expect_ok havenctl cell create rtos.cell
expect_ok havenctl cell load rtos inmates/rtos.bin
expect_ok havenctl cell start rtos

# --- refusals before anything of the Linux cell exists ---------------------
expect_refused "not page-aligned" havenctl cell linux $F/linux-unaligned.cell $L/Image
expect_refused "overlap" havenctl cell linux $F/linux-overlap.cell $L/Image
# a kernel whose header asks for 256 MiB (image_size at byte 16)
dd if=$L/Image of=/tmp/big-Image bs=4096 count=16 2>/dev/null
printf '\000\000\000\020\000\000\000\000' | dd of=/tmp/big-Image bs=1 seek=16 conv=notrunc 2>/dev/null
expect_refused "kernel needs" havenctl cell linux linux.cell /tmp/big-Image
[ "$(cell_state linux)" != running ] || fail "the refused kernel left the cell running"
expect_refused "not an arm64 kernel Image" havenctl cell linux linux.cell $L/initramfs.cpio

# --- boot ----------------------------------------------------------------------
boot_linux
console_wait_for "LINUX-CELL: ready" 180
[ "$(cell_state linux)" = running ] || fail "cell list: linux is $(cell_state linux)"
pass "the Linux cell booted to its init: $(cell_said up)"

cpus=$(cell_said cpus)
[ "$cpus" = 2 ] || fail "the Linux cell sees $cpus CPUs, expected 2"
mem=$(cell_said memtotal | cut -d' ' -f1)
# 128 MiB configured: MemTotal is that minus the kernel's own reservations
[ "$mem" -gt 100000 ] && [ "$mem" -le 131072 ] || fail "the Linux cell has MemTotal $mem kB, expected about 128 MiB"
pass "the Linux cell sees $cpus CPUs and $mem kB (128 MiB configured; the machine has 1 GiB)"
[ "$(cell_said "root device nodes:")" = none ] || fail "root devices in the cell's device tree: $(cell_said "root device nodes:")"
case $(cell_said "root device access:") in
refused*) pass "root devices: not in its device tree, access $(cell_said "root device access:")" ;;
*) fail "the Linux cell reached the root's RTC: $(cell_said "root device access:")" ;;
esac
[ "$(cat /sys/devices/system/cpu/online)" = 0 ] || fail "root CPUs online: $(cat /sys/devices/system/cpu/online)"

# --- all three make progress at the same time ----------------------------------
t1=$(cell_said tick)
h1=$(rtos_heartbeat)
n=0
end=$(($(cut -d. -f1 /proc/uptime) + 4))
while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do n=$((n + 1)); done
t2=$(cell_said tick)
h2=$(rtos_heartbeat)
[ "$n" -gt 100 ] || fail "root loop made $n rounds in 4 s"
[ "$h2" -gt "$h1" ] || fail "RTOS heartbeat $h1 -> $h2"
[ "$t2" -gt "$t1" ] || fail "Linux cell tick $t1 -> $t2"
pass "progress in 4 s: root loop $n rounds, RTOS heartbeat $h1 -> $h2, Linux cell tick $t1 -> $t2"

# --- console input from the root ----------------------------------------------------
echo 'echo "LINUX-CELL: echo $((6 * 7))"' | havenctl console --cell linux ||
	fail "console --cell linux failed"
console_wait_for "LINUX-CELL: echo 42" 30
pass "input from the root reached the cell's shell"

# --- poweroff stops the cell only; it boots again ----------------------------------------
echo 'poweroff -f' | havenctl console --cell linux
i=0
while [ "$(cell_state linux)" = running ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cell_state linux)" = shut-down ] || fail "after poweroff the Linux cell is $(cell_state linux)"
h3=$(rtos_heartbeat)
sleep 1
[ "$(rtos_heartbeat)" -gt "$h3" ] || fail "the RTOS stopped with the Linux cell"
[ "$(cell_state rtos)" = running ] || fail "RTOS is $(cell_state rtos)"
pass "poweroff stopped the Linux cell only (RTOS heartbeat still rising)"

# this time from the root's own device tree, which havenctl must strip of
# everything that is not the cell's (the boot then checks it saw none of it)
[ -f /sys/firmware/fdt ] || fail "no /sys/firmware/fdt in the root"
boot_linux -d /sys/firmware/fdt
console_wait_for "LINUX-CELL: ready" 180 2
[ "$(cell_said "root device nodes:")" = none ] ||
	fail "root devices left in the patched device tree: $(cell_said "root device nodes:")"
pass "the Linux cell booted again after its poweroff, from the root's patched device tree"

# its reboot (PSCI SYSTEM_RESET) restarts the cell from the images of its last load
starts1=$(havenctl cell stats linux --json | sed -n 's/.*"starts": *\([0-9]*\).*/\1/p')
echo 'reboot -f' | havenctl console --cell linux
console_wait_for "LINUX-CELL: ready" 180 3
starts2=$(havenctl cell stats linux --json | sed -n 's/.*"starts": *\([0-9]*\).*/\1/p')
[ "$starts2" -gt "$starts1" ] || fail "starts $starts1 -> $starts2 after the cell's reboot"
pass "the cell's reboot restarted it (starts $starts1 -> $starts2)"

expect_ok havenctl cell shutdown linux
expect_ok havenctl cell destroy linux
[ "$(cat /sys/devices/system/cpu/online)" = 0-2 ] || fail "CPUs 1-2 not back: $(cat /sys/devices/system/cpu/online)"
boot_linux
console_wait_for "LINUX-CELL: ready" 180 4
pass "destroyed, created and booted again"

parallel_checksum "0" 2
kill $CONSOLE_PID
echo "linux-cell: all checks passed"
