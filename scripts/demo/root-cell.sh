# SPDX-License-Identifier: GPL-2.0-only
# The demo, run inside the guest by scripts/demo.sh: Haven enabled under a
# running Linux, which carries on as the root cell.
step() {
	printf '\n\033[1m### %s\033[0m\n' "$*"
}

step "insmod haven.ko"
insmod haven.ko
step "havenctl enable system.cell"
havenctl enable system.cell || exit 1
step "havenctl info"
havenctl info
step "Linux keeps running: a checksum on every CPU"
dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null
for cpu in 0 1 2 3; do taskset -c $cpu sha256sum /tmp/data & done
wait
step "the hypervisor's memory is not the root cell's: devmem 0x7f000000"
devmem 0x7f000000 32
echo "devmem exited with status $? (135 = SIGBUS)"
step "trap counters after the workload"
havenctl info
step "havenctl console (the hypervisor's log)"
havenctl console
step "havenctl disable"
havenctl disable
echo "devmem 0x7f000000 now reads $(devmem 0x7f000000 32)"
