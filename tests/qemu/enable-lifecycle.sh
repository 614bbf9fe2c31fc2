# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: --files tests/lib/guest.sh
# Enable with Linux busy on all 4 CPUs, hotplug a CPU through Haven, watch
# the trap counters rise, disable, enable again, disable; unload disables.
. ./guest.sh

expect_ok insmod haven.ko
haven_untouched
expect_refused "Haven is not enabled" havenctl info
expect_refused "Haven is not enabled" havenctl disable

expect_ok havenctl enable system.cell
[ "$(cat /sys/devices/haven/enabled)" = 1 ] || fail "sysfs enabled != 1"
grep -q "haven hypervisor" /proc/iomem || fail "memory not claimed in /proc/iomem"
pass "$(grep haven /proc/iomem)"
expect_refused "already enabled" havenctl enable system.cell
havenctl info

for cpu in 0 1 2 3; do eval irq_before_$cpu=$(stat_of irq $cpu); done
linux_healthy
sleep 1
for cpu in 0 1 2 3; do
	before=$(eval echo \$irq_before_$cpu)
	after=$(stat_of irq $cpu)
	[ "$after" -gt "$before" ] || fail "CPU $cpu: irq traps $before -> $after"
	pass "CPU $cpu: irq traps $before -> $after"
done

# GICD is trapped and filtered: moving the UART interrupt (SPI 33) is a
# GICD_IROUTER33 write Haven emulates; reading IROUTER33 through /dev/mem
# traps into the same filter and shows the new route (Aff0 of the CPU)
IROUTER33=0x08006108
irq=$(awk '/uart-pl011/ { sub(":", "", $1); print $1; exit }' /proc/interrupts)
[ -n "$irq" ] || fail "no UART interrupt in /proc/interrupts"
gicd_before=$(stat_total gicd)
for cpu in 1 2 0; do
	echo $((1 << cpu)) >/proc/irq/$irq/smp_affinity || fail "set affinity of IRQ $irq"
	route=$(devmem $IROUTER33 64)
	[ $((route)) = $cpu ] || fail "IROUTER33 reads $route after routing to CPU $cpu"
done
gicd_after=$(stat_total gicd)
[ "$gicd_after" -ge $((gicd_before + 6)) ] || fail "GICD traps $gicd_before -> $gicd_after, expected 3 writes + 3 reads"
pass "IRQ $irq routed to CPUs 1, 2, 0 through the GICD filter ($gicd_before -> $gicd_after GICD traps)"

# CPU hotplug: CPU_OFF and CPU_ON go through Haven's PSCI
echo 0 >/sys/devices/system/cpu/cpu3/online || fail "offline CPU 3"
[ "$(cat /sys/devices/system/cpu/online)" = 0-2 ] || fail "CPU 3 still online"
havenctl info --json | grep -q '"cpu": 3' && fail "CPU 3 still in Haven"
echo 1 >/sys/devices/system/cpu/cpu3/online || fail "online CPU 3"
linux_healthy
havenctl info --json | grep -q '"cpu": 3' || fail "CPU 3 did not re-enter Haven"
psci=$(stat_total psci)
[ "$psci" -ge 2 ] || fail "PSCI calls counted: $psci, expected CPU_OFF and CPU_ON"
pass "CPU 3 offline/online through Haven ($psci PSCI calls)"

havenctl console | grep -q "CPU 3 parked in Haven (CPU_OFF)" || fail "CPU 3 was not parked in Haven"
havenctl console | grep -q "CPU 3 entered cell .root." || fail "CPU 3 did not leave its park"
pass "console shows CPU 3 parked in Haven and woken"

# disable while a CPU is parked: it powers off through the firmware, and
# Linux can bring it up again without Haven, then enable takes it in
echo 0 >/sys/devices/system/cpu/cpu2/online || fail "offline CPU 2"
expect_ok havenctl disable
echo 1 >/sys/devices/system/cpu/cpu2/online || fail "online CPU 2 after disable"
linux_healthy
expect_ok havenctl enable system.cell
havenctl info --json | grep -q '"cpu": 2' || fail "CPU 2 not in Haven after re-enable"
pass "CPU 2: parked, powered off at disable, back under Linux and Haven"

expect_ok havenctl disable
haven_untouched
linux_healthy
enable_disable_cycle

# unloading the module with Haven enabled disables it first
expect_ok havenctl enable system.cell
expect_ok rmmod haven
grep -q haven /proc/iomem && fail "memory still claimed after rmmod"
devmem $HV_MEM 32 >/dev/null || fail "hypervisor memory unreadable after rmmod"
linux_healthy
expect_ok insmod haven.ko
expect_ok havenctl enable system.cell
expect_ok havenctl disable
echo "enable-lifecycle: all checks passed"
