#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: [SERIES_STEP=N] [BUILD_TARGETS=...] build.sh ours|baseline CFG [make args...]
#
# Configure (tinyconfig + config/base.config [+ config/CFG.config]) and
# build bzImage (or BUILD_TARGETS) out of tree with ccache. Prints the
# bzImage path.
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
# to apply (unmet dependency), which must stop the build, not the test. A
# later fragment may turn off what an earlier one turned on (bench: KUnit).
# Our KUnit option exists from the series' KUnit patch on: the patches
# before it (fixes to 6.12's core) build without it.
required_options() {
	local off
	off=$(grep -h '^CONFIG_.*=n' "${fragments[@]}" | cut -d= -f1)
	{
		grep -h '^CONFIG_.*=y' "${fragments[@]}" | cut -d= -f1 |
			grep -v -e DEVLINK_HEALTH_KUNIT_TEST
		[[ $tree == ours && $off != *CONFIG_KUNIT* ]] &&
			grep -q '^config DEVLINK_HEALTH_KUNIT_TEST$' "$src/net/Kconfig" &&
			echo CONFIG_DEVLINK_HEALTH_KUNIT_TEST
	} | grep -v -x -F -e "${off:-none}"
}

configure() {
	local stamp=$out/.lab-config-stamp want
	# Kconfig files the series or the lab touch can add options a
	# fragment sets: configure again when one of them changes.
	want=$( (cat "${fragments[@]}"
		grep -E '(^|/)Kconfig[^/]*$' "$src/.lab-manifest" | sed "s#^#$src/#" |
			xargs -r cat) | md5sum)
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
kmake -j"$JOBS" ${BUILD_TARGETS:-bzImage} "$@" >"$out/build.log" 2>&1 ||
	{ grep -E 'error|Error' "$out/build.log" | head -40; die "build of $tree-$cfg failed, see $out/build.log"; }
log "built $tree-$cfg in $(since "$t0") s"
echo "$out/arch/x86/boot/bzImage"
