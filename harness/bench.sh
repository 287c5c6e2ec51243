#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: our core against the upstream 6.12 core, in one run.
#
# Builds both kernels with config/bench.config (no debug option; the lab's
# bench driver, which only uses the driver API, so the same code drives both
# cores), boots them in turn under the same VM runner (BENCH_ROUNDS boots
# each), runs the same workloads (harness/bench/guest-bench.sh, BENCH_REPS
# repetitions per boot; a figure is the lowest of the per-boot medians, so
# that a boot slowed down by the shared host does not decide it) and
# prints one row per workload with both figures and ours/upstream, the
# issue's targets as PASS/FAIL lines and a closing line
# "bench: <metric>=<ratio> ...". TCG timings are only comparable within
# one run, hence both kernels every time. Each kernel also boots once under
# qemu's instruction counting (vm-run.sh -i: one guest nanosecond per guest
# instruction), which gives every row a second figure that host load does
# not move; the targets are judged on that column. The table also goes to
# docs/bench.md.
#
# Knobs (environment): BENCH_REPS (5), BENCH_REPORTS (100000),
# BENCH_DUMP_SIZES ("10000 40000 160000"), BENCH_BINARY_BYTES (4 MiB),
# BENCH_DIAG_ELEMS (40000), BENCH_TOPO_DEVICES (64), BENCH_TOPO_PORTS (8),
# BENCH_ROUNDS (2: boots of each kernel, taking turns),
# BENCH_NOISE (0.05: a wall-clock ratio up to 1 + this counts as "not
# slower"), BENCH_NOISE_INSN (0.02: the same for the instruction column,
# where the calibration rows must read 1.00 within it),
# BENCH_DOC (docs/bench.md; empty: do not write it).
#
# Exit code: 0 when both kernels ran every workload and every target passed.
. "$(dirname "$0")/lib.sh"

export BENCH_REPS=${BENCH_REPS:-5}
export BENCH_REPORTS=${BENCH_REPORTS:-100000}
export BENCH_DUMP_SIZES=${BENCH_DUMP_SIZES:-"10000 40000 160000"}
export BENCH_BINARY_BYTES=${BENCH_BINARY_BYTES:-4194304}
export BENCH_DIAG_ELEMS=${BENCH_DIAG_ELEMS:-40000}
export BENCH_TOPO_DEVICES=${BENCH_TOPO_DEVICES:-64}
export BENCH_TOPO_PORTS=${BENCH_TOPO_PORTS:-8}
BENCH_NOISE=${BENCH_NOISE:-0.05}
BENCH_NOISE_INSN=${BENCH_NOISE_INSN:-0.02}
BENCH_ROUNDS=${BENCH_ROUNDS:-2}
BENCH_DOC=${BENCH_DOC-$LAB_ROOT/docs/bench.md}
VM_TIMEOUT=${VM_TIMEOUT:-2400}
TREES=(baseline ours)

t_start=$(date +%s.%N)
bench=$WORK/bench
mkdir -p "$bench"
failed=0

"$HARNESS/deps.sh" >/dev/null || exit 1

# The client runs in the guest, whose root is the host's: a host binary.
gcc -O2 -Wall -Wextra -o "$bench/hbclient" "$HARNESS/bench/hbclient.c" ||
	die "cannot build hbclient"

declare -A kernel
t0=$(date +%s.%N)
for t in "${TREES[@]}"; do
	if ! kernel[$t]=$("$HARNESS/build.sh" "$t" bench); then
		log "build of $t-bench failed, see $(out_dir "$t" bench)/build.log"
		kernel[$t]=''
		failed=1
	fi
done
t_build=$(since "$t0")

# A busy host makes the guest fail to calibrate its TSC and time with
# jiffies (4 ms steps): give it the host's TSC rate, which under TCG is
# the guest's, and keep the watchdog from demoting it.
tsc_khz=$("$bench/hbclient" tsc-khz) || die "cannot measure the TSC rate"
vm_args="tsc_early_khz=$tsc_khz tsc=reliable"

# Only the BENCH_* knobs cross into the guest, through env(1).
guest_env=(env)
for v in $(compgen -v BENCH_); do
	guest_env+=("$v=${!v}")
done

# One boot of one kernel; its lines land in $WORK/runs/bench-<tree>-r<round>
# and are added to $bench/<tree>.txt. Round "insn": the boot that counts
# instructions, added to $bench/<tree>-insn.txt; its TSC runs at 1 GHz of
# guest instructions.
bench_run() { # tree round
	local t=$1 name=bench-$1-r$2 run out=$bench/$1.txt vm=(-a "$vm_args")
	run=$WORK/runs/$name
	if [[ $2 == insn ]]; then
		out=$bench/$t-insn.txt
		vm=(-i -a "tsc_early_khz=1000000 tsc=reliable")
		log "running the workloads on $t, counting instructions"
	else
		log "running the workloads on $t (round $2 of $BENCH_ROUNDS)"
	fi
	if ! "$HARNESS/vm-run.sh" -k "${kernel[$t]}" -n "$name" -t "$VM_TIMEOUT" "${vm[@]}" -- \
		"${guest_env[@]}" "$HARNESS/bench/guest-bench.sh" "$bench/hbclient"; then
		log "bench run on $t failed (rc $(cat "$run/rc")), see $run/output.log and $run/console.log"
		failed=1
	fi
	if grep -E -f <(grep -v '^#' "$HARNESS/splat-patterns.txt") \
		"$run/dmesg.log" "$run/console.log" >"$run/splats.txt" 2>/dev/null; then
		log "kernel splat during the $t run, see $run/splats.txt"
		failed=1
	fi
	if grep -q 'error=' "$run/bench.txt" 2>/dev/null; then
		log "workload errors on $t: $(grep -o 'w=[^ ]* .*error=[^ ]*' "$run/bench.txt" | tr '\n' ';')"
		failed=1
	fi
	echo "w=round n=${2/insn/1}" >>"$out"
	cat "$run/bench.txt" >>"$out" 2>/dev/null
}

# The kernels take turns, BENCH_ROUNDS boots each, so that a slow spell
# of the shared host does not land on one kernel only; table.awk takes the
# median of each boot and keeps the lowest.
t0=$(date +%s.%N)
rm -rf "$WORK"/runs/bench-*
for t in "${TREES[@]}"; do
	: >"$bench/$t.txt"
	: >"$bench/$t-insn.txt"
done
for ((round = 1; round <= BENCH_ROUNDS; round++)); do
	for t in "${TREES[@]}"; do
		[[ -n ${kernel[$t]} ]] && bench_run "$t" "$round"
	done
done
for t in "${TREES[@]}"; do
	[[ -n ${kernel[$t]} ]] && bench_run "$t" insn
done
t_vm=$(since "$t0")

results() { # tree[-insn]
	local f=$bench/$1.txt
	[[ -s $f ]] && echo "$f" || echo /dev/null
}

table() { # md
	awk -f "$HARNESS/bench/table.awk" -v md="$1" \
		-v N="$BENCH_REPORTS" -v SIZES="$BENCH_DUMP_SIZES" \
		-v BIN="bin$((BENCH_BINARY_BYTES >> 20))m" \
		-v DIAG="$((BENCH_DIAG_ELEMS / 1000))k" \
		-v TOPO="$BENCH_TOPO_DEVICES devices x $BENCH_TOPO_PORTS ports x 2" \
		-v NOISE="$BENCH_NOISE" -v NOISE_INSN="$BENCH_NOISE_INSN" \
		"$(results baseline)" "$(results ours)" \
		"$(results baseline-insn)" "$(results ours-insn)"
}

release() { # tree
	sed -n 's/^w=kernel release=\([^ ]*\).*/\1/p' "$(results "$1")" | head -1
}

kernels() {
	printf 'upstream: %s, pristine 6.12 + the lab bench driver\n' "$(release baseline)"
	printf 'ours:     %s, pristine 6.12 + patches/ + overlay/ + the lab bench driver\n' "$(release ours)"
}

echo
table 0 | tee "$bench/table.txt"
grep -q '^FAIL target' "$bench/table.txt" && failed=1
t_total=$(since "$t_start")
log "build ${t_build}s, vm ${t_vm}s, total ${t_total}s"

if [[ -n $BENCH_DOC ]]; then
	# before the doc is truncated: rewriting it must not make the tree dirty
	lab_commit=$(git -C "$LAB_ROOT" describe --always --dirty 2>/dev/null)
	{
		echo "# Benchmark: our devlink health core against upstream 6.12"
		echo
		echo "Generated by \`make bench\` (harness/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "in ${t_total} s; do not edit, rerun it. Lab commit $lab_commit."
		echo
		echo "Both kernels: tinyconfig + config/base.config + config/bench.config (no"
		echo "debug option, SLUB, -O2), booted one after the other in the same qemu TCG"
		echo "VM (2 vCPUs, 2 GiB), $BENCH_ROUNDS boots each, taking turns. TCG timings are"
		echo "only comparable within one run. Each figure is the median of the"
		echo "$BENCH_REPS repetitions of a boot, the lowest over the boots: a boot slowed"
		echo "down by the shared host does not decide a figure. Workloads only use the driver"
		echo "API (lab-kernel/drivers/net/devlink_health_bench) and the uapi"
		echo "(harness/bench/hbclient.c, raw generic netlink), so they run unchanged on"
		echo "both cores. Memory: growth of Slab: and of all used pages (free pages"
		echo "plus per-CPU lists, counters folded with vm.stat_refresh) while a dump is"
		echo "captured, divided by its element count (binary: KiB in all); every slab"
		echo "cache is shrunk before each reading, so that slabs emptied by the previous"
		echo "repetition's clear and kept cached by SLUB do not hide an allocation."
		echo "Reads use a 4 KiB receive buffer (libmnl's MNL_SOCKET_BUFFER_SIZE, what"
		echo "the devlink tool uses, so netlink sizes the dump messages to it) and a"
		echo "32 KiB one; a read counts as done only after NLMSG_DONE and after"
		echo "checking it received every value. The guests time with the TSC"
		echo "(tsc_early_khz= from the host, tsc=reliable): a busy host otherwise"
		echo "makes them fall back to jiffies."
		echo
		echo "The instruction columns come from one more boot of each kernel under"
		echo "qemu's \`-icount shift=0,sleep=off\` (one TCG thread): the guest clock"
		echo "advances one nanosecond per guest instruction, so a figure there is a"
		echo "count of instructions (the unit column's ns), the same from run to run"
		echo "and unmoved by host load; the targets are judged on that column, and"
		echo "its calibration rows must read 1.00."
		echo
		echo "Rows marked profile and calibration are not workloads of the issue:"
		echo "the profile rows time the cheapest driver API calls (what a report"
		echo "costs beyond the call), the calibration rows time identical code in"
		echo "both kernels (kernel primitives), so their ratio shows how much"
		echo "code layout and host noise move a figure in this run."
		echo
		echo '```'
		kernels
		echo '```'
		echo
		table 1
	} >"$BENCH_DOC"
	log "table written to $BENCH_DOC"
fi
exit "$failed"
