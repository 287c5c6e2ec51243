#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make lint`: checkpatch --strict on our files and patches, kernel-doc
# -Wall on our C files, shellcheck on our selftests (every finding) and on
# the lab's scripts (warnings and errors), sparse (C=2) and W=1 on the
# net/devlink and netdevsim objects, the exports the KUnit suites need as
# modules, coccicheck on net/devlink, and the generated files the series
# carries checked against what the kernel's generator makes of the
# series' spec. Findings in upstream files we do
# not touch are not ours and are not counted; any finding in ours makes
# the exit code non-zero.
. "$(dirname "$0")/lib.sh"
. "$HARNESS/series.sh"

"$HARNESS/deps.sh" >/dev/null || exit 1
"$HARNESS/prepare-src.sh" ours >/dev/null || exit 1
src=$(src_dir ours)
out=$(out_dir ours lint)
report=$WORK/lint
rm -rf "$report"
mkdir -p "$report"
findings=0

# Our files, as kernel paths: the overlay and whatever the patches touch.
mapfile -t ours < <( (cd "$LAB_ROOT/overlay" && find . -type f | sed 's#^\./##'
	sed -n 's#^+++ b/\(.*\)$#\1#p' "$LAB_ROOT"/patches/*.patch "$LAB_ROOT"/patches/overlay/*.diff 2>/dev/null) | sort -u)
ours_re=$(printf '%s\n' "${ours[@]}" | sed 's/[.]/\\./g' | paste -sd'|')

# Findings that match harness/lint-accepted.txt (an extended regex a line,
# each under a comment saying why it is accepted) are listed in
# accepted.txt and not counted.
accepted_re=$report/accepted-re
grep -v -e '^#' -e '^$' "$HARNESS/lint-accepted.txt" >"$accepted_re"

count() { # name file
	local n a re=$accepted_re
	grep -E -f "$re" "$2" | sed "s/^/$1: /" >>"$report/accepted.txt"
	a=$(grep -c -E -f "$re" "$2")
	n=$(grep -v -c -E -f "$re" "$2")
	findings=$((findings + n))
	printf '%-28s %s\n' "$1" "$n finding(s), $a accepted"
	[[ $n -gt 0 ]] && grep -v -E -f "$re" "$2" | sed 's/^/    /' | head -40
}

checkpatch() {
	local f
	for f in "${ours[@]}"; do
		case $f in *.c | *.h | *.rst | *.sh | Makefile | Kconfig) ;; *) continue ;; esac
		[[ -e $LAB_ROOT/overlay/$f ]] || continue
		(cd "$src" && scripts/checkpatch.pl --strict --terse --no-summary \
			--show-types -f "$f")
	done >"$report/checkpatch-files.txt"
	for f in "$LAB_ROOT"/patches/*.patch "$LAB_ROOT"/patches/overlay/*.diff; do
		(cd "$src" && scripts/checkpatch.pl --strict --terse --no-summary \
			--show-types "$f") | sed "s#^#$(basename "$f"): #"
	done >"$report/checkpatch-patches.txt"
	count "checkpatch --strict (files)" "$report/checkpatch-files.txt"
	count "checkpatch --strict (patches)" "$report/checkpatch-patches.txt"
}

# kernel-doc -Wall: every comment of ours that kernel-doc reads is
# complete (parameters, return values, no stray /** comments).
kerneldoc() {
	local f
	for f in "${ours[@]}"; do
		case $f in *.c | *.h) ;; *) continue ;; esac
		[[ -e $LAB_ROOT/overlay/$f ]] || continue
		(cd "$src" && scripts/kernel-doc -Wall -none "$f") 2>&1
	done >"$report/kernel-doc.txt"
	count "kernel-doc -Wall" "$report/kernel-doc.txt"
}

# Shell scripts checked one finding a line: the selftests we ship are held to
# every finding, the lab's own scripts to warnings and errors.
shellcheck_scripts() {
	local -a tests
	mapfile -t tests < <(cd "$LAB_ROOT/overlay" && find . -name '*.sh' | sort)
	{
		(cd "$LAB_ROOT/overlay" && shellcheck -x -P SCRIPTDIR -f gcc "${tests[@]}")
		(cd "$LAB_ROOT" && shellcheck -S warning -x -P SCRIPTDIR -f gcc \
			harness/*.sh harness/bench/*.sh .ci/run)
	} >"$report/shellcheck.txt" 2>&1
	count "shellcheck" "$report/shellcheck.txt"
}

compile_checks() {
	mkdir -p "$out"
	if [[ ! -f $out/.config ]]; then
		make -s -C "$src" O="$out" tinyconfig >/dev/null
		(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" .config \
			"$LAB_ROOT/config/base.config" >/dev/null 2>&1)
		make -s -C "$src" O="$out" olddefconfig >/dev/null
	fi
	# Force a recompile of the objects we check so every warning shows.
	rm -f "$out"/net/devlink/*.o "$out"/drivers/net/netdevsim/*.o
	make -C "$src" O="$out" -j"$JOBS" CC="ccache gcc" C=2 W=1 \
		net/devlink/ drivers/net/netdevsim/ >"$report/build.log" 2>&1 ||
		echo "build failed: see $report/build.log" >"$report/build-failed.txt"
	grep -E "warning:|error:" "$report/build.log" | grep -E "($ours_re)" |
		sort -u >"$report/sparse-w1.txt"
	cat "$report/build-failed.txt" >>"$report/sparse-w1.txt" 2>/dev/null
	count "sparse + W=1" "$report/sparse-w1.txt"
}

# The KUnit suites are tristate: built as modules they may only use what
# the core exports. Every symbol a test object needs from another
# net/devlink object must have an EXPORT_SYMBOL*() (or _IF_KUNIT) there.
kunit_exports() {
	local t o sym defined=$report/kunit-core-symbols.txt
	local -a core=()
	for o in "$out"/net/devlink/*.o; do
		[[ $o == *_test.o || $o == */built-in.o ]] || core+=("$o")
	done
	nm --defined-only "${core[@]}" | awk '$2 ~ /^[TDRB]$/ { print $3 }' |
		sort -u >"$defined"
	for t in "$out"/net/devlink/*_test.o; do
		nm -u "$t" | awk '{ print $2 }' | while read -r sym; do
			grep -qx "$sym" "$defined" || continue
			grep -qE "EXPORT_SYMBOL[A-Z_]*\($sym\)" "$src"/net/devlink/*.c ||
				echo "$(basename "$t" .o) uses $sym, which is not exported"
		done
	done >"$report/kunit-exports.txt"
	count "KUnit suites as modules" "$report/kunit-exports.txt"
}

coccicheck() {
	make -C "$src" coccicheck MODE=report M=net/devlink J="$JOBS" \
		>"$report/coccicheck.log" 2>&1
	grep -E "^($ours_re):" <(sed 's#^\./##; s#^'"$src"'/##' "$report/coccicheck.log") |
		sort -u >"$report/coccicheck.txt"
	count "coccicheck" "$report/coccicheck.txt"
}

# What `tools/net/ynl/ynl-regen.sh -f` would report on the series: after
# each patch that changes a YNL spec or a file generated from one, every
# file generated from that spec must be what the generator makes of it.
generated_check() {
	local k n spec f tree
	local -a specs gen
	: >"$report/generated.txt"
	n=$(series_count)
	mapfile -t specs < <(series_patch_files | grep '^Documentation/netlink/specs/.*\.yaml$')
	for ((k = 1; k <= n; k++)); do
		for spec in "${specs[@]}"; do
			mapfile -t gen < <(ynl_kernel_outputs "$spec" | cut -f1)
			series_patch_touches "$k" "^($(printf '%s|' "$spec" "${gen[@]}" | sed 's/|$//'))\$" ||
				continue
			tree=$(mktemp -d "$WORK/.lint-gen.XXXXXX")
			series_export "$k" "$tree/series"
			for f in "${gen[@]}"; do	# not touched by the series yet
				[[ -e $tree/series/$f ]] || install -D "$pristine/$f" "$tree/series/$f"
			done
			cp -r "$tree/series" "$tree/regen"
			ynl_generate "$tree/regen" "$spec" ||
				echo "patch $k: the generator fails on $spec" >>"$report/generated.txt"
			for f in "${gen[@]}"; do
				cmp -s "$tree/series/$f" "$tree/regen/$f" ||
					echo "patch $k: $f differs from what $spec generates" >>"$report/generated.txt"
			done
			rm -rf "$tree"
		done
	done
	count "generated files" "$report/generated.txt"
}

checkpatch
kerneldoc
shellcheck_scripts
generated_check
compile_checks
kunit_exports
coccicheck
echo "lint: $findings finding(s) in our files (details in $report)"
((findings == 0))
