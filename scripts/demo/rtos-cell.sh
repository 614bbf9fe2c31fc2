# SPDX-License-Identifier: GPL-2.0-only
# The demo, run inside the guest by scripts/demo.sh: Haven enabled under a
# running Linux, the RTOS cell carved out next to it, then the layout sealed.
step() {
	printf '\n\033[1m### %s\033[0m\n' "$*"
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
sleep 3
cat /tmp/start.out
step "Linux keeps working on CPUs 0-2 while the RTOS runs on CPU 3"
dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null
for cpu in 0 1 2; do taskset -c $cpu sha256sum /tmp/data & done
wait
step "havenctl cell list"
havenctl cell list
step "havenctl cell stats rtos"
havenctl cell stats rtos
step "the final layout runs: sealed, changes are refused until reboot"
havenctl info | head -3
havenctl cell shutdown rtos
havenctl disable
step "the RTOS runs on: havenctl cell list"
havenctl cell list
step "havenctl console (the RTOS's lines carry its name)"
havenctl console | grep -E '^\[rtos\]|cell|sealed' | tail -15
