#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Compile, against our core, every object of an in-tree driver that uses
# the health API (found by grep, so a new user is not missed), with
# config/compat.config. Prints one PASS/FAIL line per object; exit code 0
# when all compile. Object builds are enough: the API is what is checked.
. "$(dirname "$0")/lib.sh"

src=$(src_dir ours)
out=$(out_dir ours compat)
log_file=$out/compat.log

"$HARNESS/prepare-src.sh" ours >/dev/null || exit 1
mkdir -p "$out"
stamp=$out/.lab-config-stamp
want=$(cat "$LAB_ROOT"/config/base.config "$LAB_ROOT"/config/compat.config | md5sum)
if [[ ! -f $out/.config || $(cat "$stamp" 2>/dev/null) != "$want" ]]; then
	make -s -C "$src" O="$out" tinyconfig >/dev/null
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" .config \
		"$LAB_ROOT/config/base.config" "$LAB_ROOT/config/compat.config" \
		>"$out/merge_config.log" 2>&1)
	make -s -C "$src" O="$out" olddefconfig >/dev/null
	echo "$want" >"$stamp"
fi
for o in $(grep '=[ym]$' "$LAB_ROOT/config/compat.config" | cut -d= -f1); do
	grep -q "^$o=[ym]" "$out/.config" || echo "FAIL compat:config $o did not stick"
done

mapfile -t users < <(cd "$src" && grep -rlE \
	'devlink_health_|devlink_fmsg_|devl_health_|devl_port_health' \
	drivers/net drivers/infiniband --include='*.c' | sort)
objs=("${users[@]/%.c/.o}")
make -C "$src" O="$out" -j"$JOBS" CC="ccache gcc" -k "${objs[@]}" >"$log_file" 2>&1
for o in "${objs[@]}"; do
	if [[ -f $out/$o ]] && ! grep -q "^$src/${o%.o}.c:.*error:\|^${o%.o}.c:.*error:" "$log_file"; then
		echo "PASS compat:$o"
	else
		echo "FAIL compat:$o (see $log_file)"
	fi
done
