# SPDX-License-Identifier: GPL-2.0-only
# The demo, run inside the guest by scripts/demo.sh: Haven enabled under a
# running Linux (the root cell, CPU 0), the RTOS cell on CPU 3 and a second
# Linux in a cell on CPUs 1-2 carved out next to it, all three running,
# then the layout sealed.
step() {
	printf '\n\033[1m### %s\033[0m\n' "$*"
}

# wait until Haven's console shows PATTERN (at most SECONDS)
wait_console() {
	i=0
	until havenctl console | grep -q "$1"; do
		[ $i -lt $(($2 * 5)) ] || return 1
		sleep 0.2
		i=$((i + 1))
	done
}

step "insmod haven.ko; havenctl enable system.cell"
insmod haven.ko
havenctl enable system.cell || exit 1
havenctl info | head -3
step "havenctl cell create rtos.cell: CPU 3 leaves Linux, 2 MiB leave its stage-2"
havenctl cell create rtos.cell || exit 1
echo "Linux CPUs online: $(cat /sys/devices/system/cpu/online)"
step "havenctl cell load rtos inmates/rtos.bin; havenctl cell start rtos"
havenctl cell load rtos inmates/rtos.bin || exit 1
# Haven's console lines go to the same serial port; keep Linux quiet a moment
havenctl cell start rtos >/tmp/start.out || exit 1
sleep 2
cat /tmp/start.out
step "havenctl cell linux linux.cell Image -i initramfs.cpio: a second Linux on CPUs 1-2"
havenctl cell linux linux.cell linux-cell/Image -i linux-cell/initramfs.cpio \
	-c "console=ttyAMA0 rdinit=/init quiet" >/tmp/linux.out || exit 1
wait_console "LINUX-CELL: ready" 120 || echo "(the Linux cell is not ready after 120 s)"
cat /tmp/linux.out
echo "root Linux CPUs online: $(cat /sys/devices/system/cpu/online)"
step "all three run: root Linux works on CPU 0, the RTOS beats, the Linux cell ticks"
dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null
sha256sum /tmp/data
havenctl cell stats rtos | grep -E 'heartbeat|RTOS'
havenctl console | grep 'LINUX-CELL: tick' | tail -n 1
step "input from the root to the Linux cell's console"
echo 'echo "LINUX-CELL: $(uname -n) has $(nproc) CPUs"' | havenctl console --cell linux
sleep 2
havenctl console | grep 'LINUX-CELL:' | grep -v tick | tail -n 6
step "havenctl cell list: the final layout runs, the layout is sealed"
havenctl cell list
havenctl info | head -3
havenctl cell shutdown linux
havenctl disable
step "havenctl console (each cell's lines carry its name)"
havenctl console >/tmp/console.txt
grep -E '^\[(rtos|linux)\] ' /tmp/console.txt | tail -n 6
grep -E "^cell '|^layout" /tmp/console.txt | tail -n 4
