# SPDX-License-Identifier: GPL-2.0-only
# qemu-run: -t 360 --files tests/lib/guest.sh --files build/fixtures
# serial-expect: cell 'rtos' created: .*direct interrupt delivery
# serial-expect: \[rogue\] rogue: blocking: INTID 27 acknowledged
# Direct interrupt delivery (fixtures/system-direct.cell): the RTOS with
# direct_irq on CPU 3 and the same RTOS as an ordinary cell ('plain', CPU
# 1) run side by side; the direct one's timer interrupts must not enter
# Haven while its jobs advance. Then Haven must still take the CPU back:
# a shutdown and destroy give CPU 3 to the root, which uses it; a rogue
# direct cell (CPU 2) that blocks everything it can (a priority-0
# interrupt acknowledged and never ended, PMR 0, Group 0 off, DAIF
# masked) is still stopped and destroyed; and the RTOS runs again on the
# CPU it left, from a clean interface.
. ./guest.sh

F=fixtures
WINDOW=3

# json_num KEY CELL: the first "KEY": N of havenctl cell stats CELL --json
json_num() {
	havenctl cell stats "$2" --json | tr ',{' '\n\n' |
		sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p" | head -n 1
}

# timer interrupts Linux took on CPU n so far (arch_timer; the header
# names the online CPUs' columns)
root_ticks() {
	awk -v cpu="CPU$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == cpu) f = i + 1 }
		/arch_timer/ && f { print $f; exit }' /proc/interrupts
}

# the root uses CPU n again: it is online and its timer ticks
root_uses_cpu() {
	[ "$(cat /sys/devices/system/cpu/cpu$1/online)" = 1 ] || fail "CPU $1 not back online"
	a=$(root_ticks $1)
	sleep 1
	b=$(root_ticks $1)
	[ -n "$a" ] && [ "$b" -gt "$a" ] || fail "CPU $1 back in the root, but its timer did not tick ($a -> $b)"
	pass "CPU $1 back in the root: its timer ticked $((b - a)) times in 1 s"
}

expect_ok insmod haven.ko
expect_ok havenctl enable $F/system-direct.cell
havenctl console -f >/tmp/console.log 2>&1 &

for c in rtos-direct:rtos plain:plain; do
	file=${c%%:*} name=${c##*:}
	expect_ok havenctl cell create $F/$file.cell
	expect_ok havenctl cell load $name inmates/rtos.bin
	expect_ok havenctl cell start $name
done
console_wait_for "\[rtos\] rtos: t=1s" 60
console_wait_for "\[plain\] rtos: t=1s" 60

# --- no EL2 entry for the direct cell's interrupts ---------------------------
# interrupt-related EL2 entries of a cell: irq + maintenance + sgi
irq_entries() {
	echo $(($(json_num irq $1) + $(json_num maintenance $1) + $(json_num sgi $1)))
}

d_irq0=$(irq_entries rtos) d_tot0=$(json_num traps_total rtos) d_rel0=$(json_num releases rtos)
p_irq0=$(irq_entries plain) p_tot0=$(json_num traps_total plain) p_rel0=$(json_num releases plain)
sleep $WINDOW
d_irq1=$(irq_entries rtos) d_tot1=$(json_num traps_total rtos) d_rel1=$(json_num releases rtos)
p_irq1=$(irq_entries plain) p_tot1=$(json_num traps_total plain) p_rel1=$(json_num releases plain)
d_rel=$((d_rel1 - d_rel0)) p_rel=$((p_rel1 - p_rel0))
d_irq=$((d_irq1 - d_irq0)) p_irq=$((p_irq1 - p_irq0))
d_tot=$((d_tot1 - d_tot0)) p_tot=$((p_tot1 - p_tot0))
echo "direct-irq: in ${WINDOW} s: direct rtos $d_rel releases, $d_irq interrupt entries, $d_tot EL2 entries in all;" \
	"plain rtos $p_rel releases, $p_irq interrupt entries, $p_tot EL2 entries in all"
havenctl cell stats rtos | grep -A1 '^traps'
[ "$d_rel" -ge 100 ] || fail "the direct RTOS released only $d_rel jobs in ${WINDOW} s"
[ "$p_rel" -ge 100 ] || fail "the plain RTOS released only $p_rel jobs in ${WINDOW} s"
[ "$p_irq" -ge 100 ] || fail "the plain RTOS took only $p_irq interrupts through Haven: the comparison is void"
[ "$d_irq" -le 2 ] || fail "the direct RTOS's interrupts entered Haven $d_irq times in ${WINDOW} s"
# the rest is its console output (one HVC per line)
[ "$d_tot" -le $((p_tot / 10)) ] || fail "the direct RTOS entered Haven $d_tot times in ${WINDOW} s (plain: $p_tot)"
pass "direct delivery: $d_irq interrupt entries and $d_tot EL2 entries in all for $d_rel releases (plain: $p_irq and $p_tot for $p_rel)"

# --- shutdown and destroy take CPU 3 back, clean -----------------------------
out=$(havenctl cell shutdown rtos) || fail "shutdown: $out"
case $out in *"shut down: acknowledged"*) pass "$out" ;; *) fail "not acknowledged: $out" ;; esac
expect_ok havenctl cell destroy rtos
root_uses_cpu 3

# --- a rogue direct cell cannot keep its CPU ---------------------------------
printf '\005\000\000\000\000\000\000\000' >/tmp/mode-block.bin
expect_ok havenctl cell create $F/rogue-direct.cell
expect_ok havenctl cell load rogue inmates/rogue.bin /tmp/mode-block.bin@0x40180000
expect_ok havenctl cell start rogue
console_wait_for "\[rogue\] rogue: blocking" 30
h0=$(json_num heartbeat rogue)
sleep 0.5
h1=$(json_num heartbeat rogue)
[ "$h1" -gt "$h0" ] || fail "the blocking rogue does not run (heartbeat $h0 -> $h1)"
out=$(havenctl cell shutdown rogue --timeout 300) || fail "forced shutdown: $out"
case $out in *"stopped by Haven"*) pass "$out" ;; *) fail "not stopped by Haven: $out" ;; esac
[ "$(cell_state rogue)" = shut-down ] || fail "rogue after the stop: $(cell_state rogue)"
expect_ok havenctl cell destroy rogue
root_uses_cpu 2

# --- the direct RTOS again, on the CPU interface it left ---------------------
expect_ok havenctl cell create $F/rtos-direct.cell
expect_ok havenctl cell load rtos inmates/rtos.bin
expect_ok havenctl cell start rtos
console_wait_for "\[rtos\] rtos: t=1s" 60 2
r0=$(json_num releases rtos)
sleep 1
r1=$(json_num releases rtos)
[ "$r1" -gt "$((r0 + 30))" ] || fail "the restarted direct RTOS released $((r1 - r0)) jobs in 1 s"
pass "the direct RTOS runs again on CPU 3 ($((r1 - r0)) releases in 1 s)"

for name in rtos plain; do
	expect_ok havenctl cell shutdown $name
	expect_ok havenctl cell destroy $name
done
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ] || fail "CPUs online: $(cat /sys/devices/system/cpu/online)"
expect_ok havenctl disable
linux_healthy
echo "direct-irq: all checks passed"
