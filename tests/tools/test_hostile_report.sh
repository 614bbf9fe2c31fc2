#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/lib/hostile_report.py, the judge of the hostile-cell suite, on
# serial logs written here: one in which every attack passes, and copies
# each breaking one thing the suite must catch (the attacker's observation,
# Haven's report line or counter, each victim check, the control run, a
# missing run, the CPU state pair: a leak, a plant that did not hold, a
# check without a plant, a report during the pair; a sub-page refusal
# reported only as a plain fault, an allowed sub-page access refused). Each broken copy must
# fail exactly the attack it breaks (a plant that did not hold: its check
# too), with the reason.
#
#   tests/tools/test_hostile_report.sh
#
# Exit status: 0 all passed, 1 a case failed.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
report=$root/tests/lib/hostile_report.py
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

bad() {
	echo "FAIL $*"
	failures=$((failures + 1))
}

# serial.log for a case: MUTATION (or "good"), written by the generator below
"$PY" - "$tmp" <<'EOF'
import sys

out = sys.argv[1]
# index, name, kind, expected, Haven's line during the attack, counter
ATTACKS = [
    (0, "read-root-ram", "fault", "abort",
     "hostile: CPU 2: read of unowned IPA 0x48000000 (ESR 0x93d58006, PC 0x40002cac, EL1): external abort injected",
     "faults"),
    (1, "gicd-enable-foreign-spi", "denied", "ignored",
     "hostile: CPU 2: denied: GICD_ISENABLER1 <- 0x2", "denied"),
    (2, "dma-control-own-ram", "control", "arrived", None, None),
    (3, "dma-write-root-canary", "dma", "blocked",
     "smmu: stream 0x10 (hostile): write fault at IPA 0x60000000", "dma"),
    (4, "dma-unassigned-stream", "dma-unassigned", "blocked",
     "smmu: stream 0x18 (no cell): read fault at 0x7c201000", "dmaun"),
    (5, "psci-system-off", "off", "stopped", "cell 'hostile' powered off (CPU 2)", None),
    (6, "psci-system-reset", "reset", "restarted", "cell 'hostile' asked for a reset (CPU 2)", None),
    (7, "state-plant", "plant", "planted", None, None),
    (8, "state-check", "state", "reset-state", None, None),
    (9, "subpage-read-width16", "subpage", "abort",
     "hostile: CPU 2: sub-page read of IPA 0x9010fe0 (2 bytes) refused: access width not allowed in its window (ESR 0x93458006, PC 0x40002cac)",
     "faults"),
    (10, "subpage-read-id", "allowed", "device-id", None, None),
]
# the state pair once more: planted before the destroy, checked in the root
PLANT, CHECK = ATTACKS[7], ATTACKS[8]
EXTRA_RUNS = [("root-plant", PLANT, "hostile", None), ("root", CHECK, "root", "root-plant")]
PLANTED_BY = {"8": "7"}
LEAK_LINE = "[{cell}] HOSTILE: leak pmcr_el0=0x41 (reset 0x0, mask 0x79)"
BASE = dict(canary=("intact", "intact"), image=("0xfe3d2e6f7b99c4f7",) * 2, dmaun=("0", "0"),
            rtos_state=("running", "running"), rtos_hb=("100", "200"),
            rtos_sum=("0xb357744a3b32d9cf",) * 2, root=("10", "30"),
            gic=("0x00000002/0xC0C0C0C0/0x0000000000000000",) * 2,
            state=("shut-down", "shut-down"), starts=("1", "2"), faults=("0", "0"),
            denied=("0", "0"), dma=("0", "0"))
MUTATIONS = {
    "good": None,
    "observed": (0, "observed"),       # the access went through
    "no-line": (1, "no-line"),         # Haven said nothing
    "no-count": (0, "no-count"),       # ... or did not count it
    "null-count": (1, "null-count"),   # a Haven without the counter
    "canary": (3, "canary"),
    "image": (0, "image"),
    "image-null": (0, "image-null"),
    "rtos-sum": (3, "rtos-sum"),
    "rtos-stopped": (1, "rtos-stopped"),
    "heartbeat": (4, "heartbeat"),
    "root": (0, "root"),
    "gic": (1, "gic"),
    "control-reported": (2, "control-reported"),
    "not-off": (5, "not-off"),
    "fail-survived": ("fail", "fail-survived"),
    "missing": (4, "missing"),
    "skipped": (3, "skipped"),
    "late-line": (1, "late-line"),     # the report came after the end line
    "leaked": (8, "leaked"),           # the check found the plant
    "root-leaked": ("root", "leaked"),  # ... in the root
    "not-held": (7, "not-held"),       # the plant did not hold: its check proves nothing
    "no-plant": (8, "no-plant"),       # a check with no plant named before it
    "state-reported": (8, "state-reported"),  # Haven reported something during the check
    "subpage-generic": (9, "subpage-generic"),  # a fault, but not the sub-page refusal
    "allowed-reported": (10, "allowed-reported"),  # Haven refused an allowed access
}


def run_lines(index, name, cell, haven, token, extra_after=()):
    lines = [f"cell '{cell}' started on CPU 2 at 0x40000000",
             f"[{cell}] HOSTILE: started, first {index}, flags 0x1, 7 attacks",
             f"[{cell}] HOSTILE: begin {index} {name}"]
    if haven:
        lines.append(haven)
    if token:
        lines.append(f"[{cell}] HOSTILE: end {index} observed={token} esr=0x96000010")
        lines.append(f"[{cell}] HOSTILE: done")
    lines += list(extra_after)
    return lines


for case, mutation in MUTATIONS.items():
    target, what = mutation if mutation else (None, None)
    log = ["Booting Linux...", "noise \x1b[0m", "HOSTILE-DATA-BEGIN"]
    for a in ATTACKS:
        log.append("HOSTILE-ATTACK %d %s %s %s" % a[:4])
    runs = [(str(a[0]), a, "hostile") for a in ATTACKS]
    runs.append(("fail", (0, "read-root-ram", "failed", "cell-failed",
                          "cell 'hostile_fail' FAILED: CPU 1, data abort (EC 0x24, ESR 0x93d58006): read of IPA 0x48000000, PC 0x40002cac",
                          "faults"), "hostile_fail"))
    runs += [(run, a, cell) for run, a, cell, _ in EXTRA_RUNS]
    planted_by = dict(PLANTED_BY, **{run: by for run, _, _, by in EXTRA_RUNS if by})
    recs, logs = [], []
    for run, (index, name, kind, expected, haven, counter), cell in runs:
        rec = dict(BASE)
        token, extra = expected, ()
        tail = f" planted_by={planted_by[run]}" if run in planted_by else ""
        if counter:
            rec[counter] = ("3", "4")
        if kind in ("off", "failed"):
            token = None
        if kind == "failed":
            rec["state"] = ("created", "failed")
        if kind == "reset":
            rec["starts"] = ("1", "3")
        status = "ok"
        if run == str(target) or (target == "fail" and run == "fail"):
            if what == "observed":
                token = "no-fault"
            elif what == "no-line":
                haven = None
            elif what == "no-count":
                rec[counter] = ("3", "3")
            elif what == "null-count":
                rec[counter] = ("null", "null")
            elif what == "canary":
                rec["canary"] = ("intact", "changed")
            elif what == "image":
                rec["image"] = ("0xfe3d2e6f7b99c4f7", "0xfe3d2e6f7b99c4f8")
            elif what == "image-null":
                rec["image"] = ("null", "null")
            elif what == "rtos-sum":
                rec["rtos_sum"] = ("0xb357744a3b32d9cf", "0x0000000000000000")
            elif what == "rtos-stopped":
                rec["rtos_state"] = ("running", "failed")
            elif what == "heartbeat":
                rec["rtos_hb"] = ("100", "100")
            elif what == "root":
                rec["root"] = ("10", "10")
            elif what == "gic":
                rec["gic"] = ("0x00000002/0xC0C0C0C0/0x0000000000000000",
                              "0x00000000/0xC0C0C0C0/0x0000000000000000")
            elif what == "control-reported":
                haven = "smmu: stream 0x10 (hostile): read fault at IPA 0x40401000"
                rec["dma"] = ("0", "1")
            elif what == "not-off":
                token = "returned"
            elif what == "fail-survived":
                token = "abort"
                rec["state"] = ("created", "shut-down")
            elif what == "missing":
                continue
            elif what == "skipped":
                status = "skipped:haven-counts-no-dma-faults"
            elif what == "late-line":
                extra, haven = (haven,), None
            elif what == "leaked":
                token, haven = "leaked", LEAK_LINE.format(cell=cell)
            elif what == "not-held":
                token = "not-held"
                haven = f"[{cell}] HOSTILE: not held pmcr_el0=0x0 (planted 0x79, mask 0x79)"
            elif what == "no-plant":
                tail = ""
            elif what == "subpage-generic":
                haven = "hostile: CPU 2: read of unowned IPA 0x9010fe0 (ESR 0x93458006, PC 0x40002cac, EL1): external abort injected"
            elif what == "allowed-reported":
                haven = "hostile: CPU 2: sub-page read of IPA 0x9010fe0 (4 bytes) refused: outside its sub-page windows (ESR 0x93808006, PC 0x40002cac)"
                rec["faults"] = ("0", "1")
            elif what == "state-reported":
                haven = f"{cell}: CPU 2: denied: PSCI CPU_ON of MPIDR 0x0, not its CPU"
                rec["denied"] = ("0", "1")
        pairs = " ".join(f"{k}={b}:{a}" for k, (b, a) in rec.items())
        recs.append(f"HOSTILE-REC {run} {pairs} cell={cell} attack={index} run={status}{tail}")
        if not status.startswith("skipped"):
            logs += [f"HOSTILE-LOG {run} | {l}" for l in run_lines(index, name, cell, haven, token, extra)]
    log += recs + logs + ["HOSTILE-DATA-END", "hostile: the suite ran"]
    with open(f"{out}/{case}.log", "w") as f:
        f.write("\r\n".join(log) + "\r\n")
EOF

# case NAME STATUS [RUNS ATTACK TEXT]: the report on NAME.log exits STATUS;
# with RUNS, those runs are the failures and the first one's reason has TEXT
case_() {
	local name=$1 want=$2 run=${3:-} attack=${4:-} text=${5:-} out rc failed
	out=$("$PY" "$report" "$tmp/$name.log" --json "$tmp/$name.json" 2>&1)
	rc=$?
	if [ $rc -ne "$want" ]; then
		bad "$name: exit $rc, expected $want: $out"
		return
	fi
	failed=$(printf '%s\n' "$out" | awk '$NF == "FAIL" { print $1 }' | tr '\n' ' ')
	if [ -z "$run" ]; then
		[ -z "$failed" ] || { bad "$name: runs failed: $failed: $out"; return; }
	else
		[ "$failed" = "$run " ] || { bad "$name: failed runs '$failed', expected '$run': $out"; return; }
		printf '%s\n' "$out" | grep -qF -- "  ${run%% *} $attack: " ||
			{ bad "$name: no reason for ${run%% *} $attack: $out"; return; }
		printf '%s\n' "$out" | grep -F -- "  ${run%% *} $attack: " | grep -qF -- "$text" ||
			{ bad "$name: reason lacks '$text': $out"; return; }
	fi
	echo "PASS $name"
}

case_ good 0
case_ observed 1 0 read-root-ram "observed no-fault, expected abort"
case_ no-line 1 1 gicd-enable-foreign-spi "not reported: no line matching"
case_ no-count 1 0 read-root-ram "not reported: the cell's faults 3 -> 3"
case_ null-count 1 1 gicd-enable-foreign-spi "the cell's denied accesses null -> null"
case_ canary 1 3 dma-write-root-canary "victims: the root's canary changed"
case_ image 1 0 read-root-ram "Haven's image checksum changed"
case_ image-null 1 0 read-root-ram "Haven's image checksum not available"
case_ rtos-sum 1 3 dma-write-root-canary "the RTOS's memory checksum changed"
case_ rtos-stopped 1 1 gicd-enable-foreign-spi "the RTOS is failed"
case_ heartbeat 1 4 dma-unassigned-stream "the RTOS's heartbeat did not advance (100 -> 100)"
case_ root 1 0 read-root-ram "the root's counter did not advance"
case_ gic 1 1 gicd-enable-foreign-spi "the root's SPI 33 enable/priority/route changed"
case_ control-reported 1 2 dma-control-own-ram "the allowed DMA was reported"
case_ not-off 1 5 psci-system-off "observed returned, expected stopped"
case_ fail-survived 1 fail "read-root-ram (hostile_fail)" "observed abort, expected cell-failed"
case_ missing 1 4 dma-unassigned-stream "the scenario did not run it"
case_ skipped 1 3 dma-write-root-canary "not run: haven-counts-no-dma-faults"
case_ late-line 1 1 gicd-enable-foreign-spi "not reported: no line matching"
case_ leaked 1 8 state-check "observed leaked, expected reset-state; leak: pmcr_el0"
case_ root-leaked 1 root "state-check (in the root after destroy)" "leak: pmcr_el0"
case_ not-held 1 "7 8" state-plant "observed not-held, expected planted; not held: pmcr_el0"
case_ not-held 1 "7 8" state-plant "observed not-held"
case_ no-plant 1 8 state-check "no state-plant run before it"
case_ state-reported 1 8 state-check "Haven reported a violation: line 'hostile: CPU 2: denied"
case_ subpage-generic 1 9 subpage-read-width16 "not reported: no line matching /^hostile: CPU"
case_ allowed-reported 1 10 subpage-read-id "the allowed access was reported: line 'hostile: CPU 2: sub-page read"

# the JSON: one object per run with exactly the suite's keys
if "$PY" - "$tmp/good.json" "$tmp/observed.json" "$tmp/leaked.json" "$tmp/not-held.json" <<'EOF'; then
import json, sys
good, observed, leaked, not_held = (json.load(open(p)) for p in sys.argv[1:5])
keys = {"attack", "expected", "observed", "reported", "victims_intact", "pass"}
assert len(good) == 14, len(good)
assert all(set(r) == keys for r in good), good
assert all(r["pass"] for r in good), good
# reported: a boolean, except n/a (null) for the state pair
state = {"state-plant", "state-check", "state-plant (before destroy)",
         "state-check (in the root after destroy)"}
assert all((r["reported"] is None) == (r["attack"] in state) for r in good), good
assert all(r["reported"] in (True, False) for r in good if r["attack"] not in state), good
assert [r["attack"] for r in good[11:]] == ["read-root-ram (hostile_fail)",
       "state-plant (before destroy)", "state-check (in the root after destroy)"], good[11:]
assert [r["pass"] for r in observed] == [False] + [True] * 13, observed
assert observed[0]["observed"].startswith("no-fault"), observed[0]
assert leaked[8]["observed"].startswith("leaked") and not leaked[8]["pass"], leaked[8]
assert [r["pass"] for r in not_held][7:9] == [False, False], not_held
EOF
	echo "PASS json"
else
	bad "json: test-results format"
fi

printf 'Booting Linux\nQEMU-RUN-EXIT: 1\n' >"$tmp/none.log"
out=$("$PY" "$report" "$tmp/none.log" --json "$tmp/none.json" 2>&1)
if [ $? -eq 1 ] && [[ "$out" == *"has no HOSTILE-DATA-BEGIN"* ]] && [ "$(cat "$tmp/none.json")" = "[]" ]; then
	echo "PASS no-records"
else
	bad "no-records: $out"
fi
out=$("$PY" "$report" "$tmp/absent.log" 2>&1)
if [ $? -eq 1 ] && [[ "$out" == *"absent.log: No such file or directory"* ]]; then
	echo "PASS no-log"
else
	bad "no-log: $out"
fi

[ "$failures" -eq 0 ]
