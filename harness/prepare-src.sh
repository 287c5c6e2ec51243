#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: prepare-src.sh ours|baseline
#
# Bring $WORK/src/<tree> to "pristine 6.12 + patches/ + overlay/" (ours) or to
# pristine (baseline). Files are rewritten only when their content changes,
# so make's timestamps stay meaningful and a rebuild after editing one of our
# files recompiles only what depends on it.
. "$(dirname "$0")/lib.sh"

tree=${1:?ours or baseline}
mkdir -p "$WORK/src"
pristine=$(src_dir pristine)
dst=$(src_dir "$tree")

unpack_pristine() {
	[[ -f $pristine/.lab-unpacked ]] && return
	local t0 tmp
	t0=$(date +%s.%N)
	tmp=$WORK/src/.unpack
	rm -rf "$tmp" "$pristine"
	mkdir -p "$tmp"
	tar -C "$tmp" -xf "$TARBALL" || die "cannot unpack $TARBALL"
	mv "$tmp"/linux-source-6.12 "$pristine"
	rmdir "$tmp"
	chmod -R a-w "$pristine"
	touch -r "$pristine/Makefile" "$pristine/.lab-unpacked" 2>/dev/null ||
		{ chmod u+w "$pristine"; touch "$pristine/.lab-unpacked"; chmod u-w "$pristine"; }
	log "unpacked $(make -s -C "$pristine" kernelversion) in $(since "$t0") s"
}

# Every edit to upstream files, in series order: the mail-form patches and
# the diffs that overlay commits carry (patches/overlay/*.diff), sorted by
# their number.
series_diffs() {
	(ls "$LAB_ROOT"/patches/*.patch "$LAB_ROOT"/patches/overlay/*.diff 2>/dev/null) |
		awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2
}

# Files a patch series creates or modifies, one per line.
patched_files() {
	local p
	for p in "$@"; do
		sed -n 's#^+++ b/\(.*\)$#\1#p' "$p"
	done | sort -u
}

# Copy $1 (a staged file) over $2 only if the content differs; a mode
# change alone (a test made executable) is applied without a copy.
install_if_changed() {
	if cmp -s "$1" "$2"; then
		[[ $(stat -c %a "$1") == "$(stat -c %a "$2")" ]] && return 1
		chmod --reference="$1" "$2"
		return 0
	fi
	mkdir -p "$(dirname "$2")"
	cp "$1" "$2"
	chmod --reference="$1" "$2"
}

# Lab-only kernel code (the bench driver): lab-kernel/patches/*.patch and
# every other file of lab-kernel/ at its kernel path. It goes into both
# trees, after the series, and never into the series: patches.sh and
# lint.sh only look at patches/ and overlay/.
LAB_KERNEL=$LAB_ROOT/lab-kernel
lab_patches() {
	ls "$LAB_KERNEL"/patches/*.patch 2>/dev/null | sort
}

# Kernel code generated from a YNL spec (net/devlink/netlink_gen.[ch], ...)
# is never part of the series. When the series touches a spec, every file
# upstream generated from it in kernel mode is generated again, into the
# stage, with the kernel's own generator and the arguments recorded in the
# file (as tools/net/ynl/ynl-regen.sh does); sync_tree then rewrites it
# only if its content changed. Debian's python has the yaml and jsonschema
# modules deps.sh installs; the first python3 on PATH may not.
YNL_PYTHON=${YNL_PYTHON:-/usr/bin/python3}

# Files of the pristine tree generated in kernel mode from spec $1 (a path
# in the tree), with their mode line: "path<TAB>source|header".
ynl_kernel_outputs() {
	local marker f kind
	marker=$(printf '/*\t%s */' "$1")
	(cd "$pristine" && grep -rlxF --include='*.[ch]' "$marker" net fs drivers kernel) |
		while read -r f; do
			kind=$(sed -n 's#^/\* YNL-GEN kernel \(source\|header\) \*/$#\1#p' "$pristine/$f")
			[[ -n $kind ]] && printf '%s\t%s\n' "$f" "$kind"
		done
}

ynl_regen() {
	local stage=$1 root=$1.ynl spec f kind
	local -a args

	[[ -d $stage/Documentation/netlink/specs ]] || return 0
	"$YNL_PYTHON" -c 'import yaml, jsonschema' 2>/dev/null ||
		die "$YNL_PYTHON lacks yaml or jsonschema: run harness/deps.sh"
	# The generator names its output after the spec's path below the
	# directory holding MAINTAINERS, and validates it against the schema
	# next to the specs: give it a tree of its own, staged files first.
	rm -rf "$root"
	mkdir -p "$root/Documentation/netlink"
	touch "$root/MAINTAINERS"
	cp -r "$pristine/Documentation/netlink/." "$root/Documentation/netlink/"
	cp -r "$stage/Documentation/netlink/." "$root/Documentation/netlink/"
	for spec in $(cd "$stage" && find Documentation/netlink/specs -name '*.yaml' | sort); do
		while IFS=$'\t' read -r f kind; do
			read -ra args < <(sed -n 's#^/\* YNL-ARG \(.*\) \*/$#\1#p' "$pristine/$f")
			mkdir -p "$stage/$(dirname "$f")"
			"$YNL_PYTHON" "$pristine/tools/net/ynl/ynl-gen-c.py" --mode kernel \
				--"$kind" --spec "$root/$spec" "${args[@]}" -o "$stage/$f" ||
				die "cannot generate $f from $spec"
		done < <(ynl_kernel_outputs "$spec")
	done
	rm -rf "$root"
}

stage_tree() {
	local stage=$1 f p
	local -a series=() lab=()

	rm -rf "$stage"
	mkdir -p "$stage"
	[[ $tree == ours ]] && mapfile -t series < <(series_diffs)
	mapfile -t lab < <(lab_patches)
	for f in $(patched_files "${series[@]}" "${lab[@]}"); do
		if [[ -e $pristine/$f ]]; then
			mkdir -p "$stage/$(dirname "$f")"
			cp "$pristine/$f" "$stage/$f"
			chmod u+w "$stage/$f"
		fi
	done
	for p in "${series[@]}" "${lab[@]}"; do
		patch -s -p1 -d "$stage" --no-backup-if-mismatch <"$p" ||
			die "patch does not apply: $p"
	done
	if [[ $tree == ours ]]; then
		cp -r "${OVERLAY:-$LAB_ROOT/overlay}/." "$stage/"
		ynl_regen "$stage"
	fi
	if [[ -d $LAB_KERNEL ]]; then
		tar -C "$LAB_KERNEL" --exclude=./patches -cf - . | tar -C "$stage" -xf - ||
			die "cannot stage $LAB_KERNEL"
	fi
}

sync_tree() {
	local stage=$1 manifest=$dst/.lab-manifest f changed=0
	local new_manifest=$stage.manifest

	(cd "$stage" && find . -type f | sed 's#^\./##' | sort) >"$new_manifest"
	while read -r f; do
		install_if_changed "$stage/$f" "$dst/$f" && changed=$((changed + 1))
	done <"$new_manifest"
	# Files we touched last time but not any more go back to pristine.
	if [[ -f $manifest ]]; then
		comm -23 "$manifest" "$new_manifest" | while read -r f; do
			if [[ -e $pristine/$f ]]; then
				cp "$pristine/$f" "$dst/$f"
				chmod u+w "$dst/$f"
			else
				rm -f "$dst/$f"
			fi
		done
	fi
	mv "$new_manifest" "$manifest"
	echo "$changed"
}

# Builds of one tree (check, lint, bench, compat) may run side by side:
# the tree is rewritten under a lock.
exec 8>"$WORK/src/.lock-$tree"
flock -w 600 8 || die "src/$tree is locked"
unpack_pristine
if [[ ! -f $dst/.lab-copied ]]; then
	t0=$(date +%s.%N)
	rm -rf "$dst"
	cp -a "$pristine" "$dst"
	chmod -R u+w "$dst"
	touch "$dst/.lab-copied"
	log "copied pristine tree to $dst in $(since "$t0") s"
fi
stage=$WORK/src/.stage-$tree
stage_tree "$stage"
n=$(sync_tree "$stage")
rm -rf "$stage"
log "src/$tree in sync ($n files rewritten)"
