#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: series-build.sh CFG
#
# Build src/ours with config CFG after every patch of the series, in order,
# in one out dir (so each step recompiles only what that patch changed),
# and net/devlink and drivers/net/netdevsim with W=1 (base config, out dir
# ours-w1). Prints one line per patch, "PASS|FAIL lab:series-build:NN
# <subject>": FAIL on a build error or on any warning in net/devlink or
# drivers/net/netdevsim (pristine 6.12 has none there with W=1, so every
# one is new). The last step leaves the whole series built, the kernel the
# caller then boots. The kernel of the last patch before the first one that
# touches netdevsim (our core with 6.12's own netdevsim) is kept as
# $WORK/series-build/bzImage-nsim612, and the kernel of the fixes to 6.12
# that open the series (the leading patches with a Fixes: tag: 6.12's own
# core, fixed) as $WORK/series-build/bzImage-fixes612; the path of the
# last one, when it built, is written to $WORK/series-build/kernel.
# Exit code: 0 when every patch built clean.
. "$(dirname "$0")/lib.sh"
. "$HARNESS/series.sh"

cfg=${1:?config}
dir=$WORK/series-build
rm -rf "$dir"
mkdir -p "$dir"
out=$(out_dir ours "$cfg")
warn_re='(^|/)(net/devlink|drivers/net/netdevsim)/[^ :]+:[0-9]+(:[0-9]+)?: (warning|error):'

# Building step 1 builds the series and the am repo too.
SERIES_STEP=1 "$HARNESS/prepare-src.sh" ours >/dev/null 2>&1 ||
	die "cannot prepare the tree at patch 1"
n=$(series_count)
nsim_step=0
for ((k = 1; k <= n; k++)); do
	if series_patch_touches "$k" '^drivers/net/netdevsim/'; then
		nsim_step=$((k - 1))
		break
	fi
done

fixes_step=0
while ((fixes_step < n)) &&
	grep -q '^Fixes: ' "$(series_patches | sed -n "$((fixes_step + 1))p")"; do
	fixes_step=$((fixes_step + 1))
done

failed=0
for ((k = 1; k <= n; k++)); do
	name=$(printf '%02d %s' "$k" "$(series_subject "$k")")
	t0=$(date +%s.%N)
	built=0
	if SERIES_STEP=$k "$HARNESS/build.sh" ours "$cfg" >/dev/null 2>"$dir/$k.err"; then
		built=1
		cp "$out/build.log" "$dir/$k.log"
		# W=1 where our code lives, in a non-debug out dir of its own:
		# W=1 on the whole kernel would run kernel-doc on every file.
		BUILD_TARGETS="net/devlink/ drivers/net/netdevsim/" SERIES_STEP=$k \
			"$HARNESS/build.sh" ours w1 W=1 >/dev/null 2>>"$dir/$k.err"
		cat "$(out_dir ours w1)/build.log" >>"$dir/$k.log"
		grep -E "$warn_re" "$dir/$k.log" | sort -u >"$dir/$k.warnings"
		if [[ -s $dir/$k.warnings ]]; then
			echo "FAIL lab:series-build:$name: $(head -1 "$dir/$k.warnings")"
			sed 's/^/    /' "$dir/$k.warnings" | head -20 >&2
			failed=1
		else
			echo "PASS lab:series-build:$name"
		fi
	else
		cp "$out/build.log" "$dir/$k.log" 2>/dev/null
		echo "FAIL lab:series-build:$name: $(grep -E 'error|Error' "$dir/$k.log" "$dir/$k.err" 2>/dev/null | head -1)"
		failed=1
	fi
	log "patch $k of $n built in $(since "$t0") s"
	if ((k == nsim_step && built)); then
		cp "$out/arch/x86/boot/bzImage" "$dir/bzImage-nsim612" 2>/dev/null
	fi
	if ((k == fixes_step && built)); then
		cp "$out/arch/x86/boot/bzImage" "$dir/bzImage-fixes612" 2>/dev/null
	fi
done
# The kernel of the whole series, for the caller to boot.
((built)) && echo "$out/arch/x86/boot/bzImage" >"$dir/kernel"
exit "$failed"
