#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: build.sh ours|baseline debug|release [extra make targets...]
#
# Configure (tinyconfig + config/base.config [+ config/debug.config]) and
# build bzImage out of tree with ccache. Prints the bzImage path.
. "$(dirname "$0")/lib.sh"

tree=${1:?ours or baseline}
cfg=${2:?debug or release}
shift 2
src=$(src_dir "$tree")
out=$(out_dir "$tree" "$cfg")

fragments=("$LAB_ROOT/config/base.config")
[[ $cfg == debug ]] && fragments+=("$LAB_ROOT/config/debug.config")
[[ $cfg == kcsan ]] && fragments+=("$LAB_ROOT/config/kcsan.config")
[[ $cfg == bench ]] && fragments+=("$LAB_ROOT/config/bench.config")

"$HARNESS/prepare-src.sh" "$tree" || exit 1

kmake() {
	make -s -C "$src" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" "$@"
}

# Options the lab relies on: a missing one means a fragment silently failed
# to apply (unmet dependency), which must stop the build, not the test.
required_options() {
	grep -h '^CONFIG_.*=y' "${fragments[@]}" | cut -d= -f1 |
		grep -v -e DEVLINK_HEALTH_KUNIT_TEST
	[[ $tree == ours ]] && echo CONFIG_DEVLINK_HEALTH_KUNIT_TEST
}

configure() {
	local stamp=$out/.lab-config-stamp want
	want=$(cat "${fragments[@]}" "$src/.lab-manifest" 2>/dev/null | md5sum)
	want="$want $(md5sum <"$src/net/Kconfig")"
	[[ -f $stamp && $(cat "$stamp") == "$want" && -f $out/.config ]] && return
	mkdir -p "$out"
	kmake tinyconfig >/dev/null
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" .config \
		"${fragments[@]}" >"$out/merge_config.log" 2>&1) ||
		die "merge_config failed, see $out/merge_config.log"
	kmake olddefconfig >/dev/null
	local o missing=()
	for o in $(required_options); do
		grep -q "^$o=y" "$out/.config" || missing+=("$o")
	done
	((${#missing[@]} == 0)) || die "config lacks: ${missing[*]}"
	echo "$want" >"$stamp"
	log "configured $tree-$cfg"
}

# Two builds in one out dir would corrupt it: serialize them.
mkdir -p "$out"
exec 7>"$out/.lab-build-lock"
flock -w 3600 7 || die "$out is locked by another build"
configure
t0=$(date +%s.%N)
log "building $tree-$cfg (-j$JOBS)"
kmake -j"$JOBS" bzImage "$@" >"$out/build.log" 2>&1 ||
	{ grep -E 'error|Error' "$out/build.log" | head -40; die "build of $tree-$cfg failed, see $out/build.log"; }
log "built $tree-$cfg in $(since "$t0") s"
echo "$out/arch/x86/boot/bzImage"
