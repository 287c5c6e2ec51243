#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage (in the VM): guest-bench.sh HBCLIENT
#
# The workloads of `make bench`, identical on every core: they only use the
# bench driver's debugfs knobs (driver API side) and hbclient (netlink
# side). Each measurement is repeated $BENCH_REPS times; every repetition
# is one line "w=<workload> ... key=value ..." in $LAB_RUN/bench.txt,
# which harness/bench.sh reduces to medians. A failed step writes
# "w=<workload> error=..." and the run goes on with the next one.
HB=${1:?hbclient binary}
REPS=${BENCH_REPS:-5}
REPORTS=${BENCH_REPORTS:-100000}
DUMP_SIZES=${BENCH_DUMP_SIZES:-"10000 40000 160000"}
BINARY_BYTES=${BENCH_BINARY_BYTES:-4194304}
DIAG_ELEMS=${BENCH_DIAG_ELEMS:-40000}
TOPO_DEVICES=${BENCH_TOPO_DEVICES:-64}
TOPO_PORTS=${BENCH_TOPO_PORTS:-8}
STEP_TIMEOUT=${BENCH_STEP_TIMEOUT:-900}

DBG=/sys/kernel/debug/devlink_health_bench
BUS=platform
DEV=devlink_health_bench.0
OUT=$LAB_RUN/bench.txt
: >"$OUT"

emit() { echo "$*" >>"$OUT"; }
note() { echo "bench: $* (uptime $(cut -d' ' -f1 /proc/uptime) s)"; }

# hbclient with a bound, its lines tagged with the workload.
hb() { # workload extra-tags hbclient-args...
	local w=$1 tags=$2 out rc
	shift 2
	out=$(timeout -k 5 "$STEP_TIMEOUT" "$HB" "$@" 2>&1)
	rc=$?
	grep '^op=' <<<"$out" | sed "s/^/w=$w $tags /" >>"$OUT"
	if ((rc != 0)); then
		emit "w=$w $tags error=hbclient_rc_$rc"
		echo "$out" | grep -v '^op=' | sed "s/^/    $w: /"
	fi
	return "$rc"
}

knob() { echo "$2" >"$DBG/$1"; }

# Identical code on every kernel: what a few primitives cost in this VM
# (a cost model for the report path) and how noisy the run is.
primitives() {
	local i
	note "primitives: $REPORTS rounds each"
	for ((i = 0; i < REPS; i++)); do
		if knob primitives "$REPORTS"; then
			emit "w=prim rep=$i $(cat "$DBG/result")"
		else
			emit "w=prim error=write_failed"
		fi
	done
}

# The cheapest driver API calls, timed like the reports: a profile of what
# a bare report costs beyond the call itself.
api_cost() {
	local i
	note "driver API calls: $REPORTS each"
	for ((i = 0; i < REPS; i++)); do
		if knob api "$REPORTS"; then
			emit "w=api rep=$i $(cat "$DBG/result")"
		else
			emit "w=api error=write_failed"
		fi
	done
}

report_cost() {
	local r i
	for r in bare full; do
		note "report cost: $REPORTS reports on $r"
		knob report "$r $((REPORTS / 10))"	# warm-up, not recorded
		for ((i = 0; i < REPS; i++)); do
			if knob report "$r $REPORTS"; then
				emit "w=report_$r rep=$i $(cat "$DBG/result")"
			else
				emit "w=report_$r error=write_failed"
			fi
		done
	done
}

# Capture (time + memory), then read back, one dump size at a time; the
# dump stored by the last capture is the one read.
dump_size() { # tag elems binary_bytes expect
	local tag=$1 elems=$2 bytes=$3 expect=$4
	knob dump_elems "$elems"
	knob dump_binary "$bytes"
	note "dump $tag: capture"
	hb "capture_$tag" "k=$elems binary=$bytes" \
		capture "$BUS" "$DEV" big "$DBG" "$REPS" || return
	note "dump $tag: read, 4 KiB receive buffer"
	hb "read4k_$tag" "k=$elems binary=$bytes $expect" \
		-b 4096 dump "$BUS" "$DEV" big "$REPS"
	note "dump $tag: read, 32 KiB receive buffer"
	hb "read32k_$tag" "k=$elems binary=$bytes $expect" \
		-b 32768 dump "$BUS" "$DEV" big "$REPS"
	hb "clear_$tag" "" clear "$BUS" "$DEV" big
}

dumps() {
	local k
	for k in $DUMP_SIZES; do
		dump_size "$((k / 1000))k" "$k" 0 "expect_values=$k"
	done
	dump_size "bin$((BINARY_BYTES >> 20))m" 0 "$BINARY_BYTES" \
		"expect_vbytes=$BINARY_BYTES"
	knob dump_binary 0
}

diagnose() {
	note "diagnose: $DIAG_ELEMS elements"
	knob diag_elems "$DIAG_ELEMS"
	hb "diagnose_$((DIAG_ELEMS / 1000))k" "k=$DIAG_ELEMS expect_values=$DIAG_ELEMS" \
		-b 32768 diagnose "$BUS" "$DEV" big "$REPS"
	knob diag_elems 0
}

get_all() {
	local expect=$((TOPO_DEVICES * TOPO_PORTS * 2 + 3))
	note "GET all reporters: $TOPO_DEVICES devices x $TOPO_PORTS ports x 2"
	if ! knob topology "$TOPO_DEVICES $TOPO_PORTS"; then
		emit "w=get_all error=topology_failed $(cat "$DBG/result")"
		return
	fi
	emit "w=topology $(cat "$DBG/result")"
	hb get_all "expect_reporters=$expect" -b 32768 get-all "$REPS"
	knob topology "0 0"
}

if [[ ! -d $DBG ]]; then
	emit "w=setup error=no_bench_driver"
	echo "bench: $DBG missing: kernel without CONFIG_DEVLINK_HEALTH_BENCH?"
	exit 1
fi
# Timings need a fine clock: under TCG the clocksource watchdog may mark
# the TSC unstable when the host is busy and fall back to jiffies (4 ms
# steps); bench.sh boots with tsc=reliable and refuses any other clock.
clock=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
emit "w=kernel release=$(uname -r) reps=$REPS reports=$REPORTS clocksource=$clock"
note "kernel $(uname -r), clocksource $clock, $REPS repetitions"
if [[ $clock != tsc ]]; then
	emit "w=setup error=clocksource_$clock"
	exit 1
fi
primitives
report_cost
api_cost
dumps
diagnose
get_all
note "done"
exit 0
