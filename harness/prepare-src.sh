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

# Copy $1 (a staged file) over $2 only if the content differs.
install_if_changed() {
	cmp -s "$1" "$2" && return 1
	mkdir -p "$(dirname "$2")"
	cp "$1" "$2"
}

stage_tree() {
	local stage=$1 f p
	local -a series=()

	rm -rf "$stage"
	mkdir -p "$stage"
	[[ $tree == ours ]] || return 0
	mapfile -t series < <(series_diffs)
	for f in $(patched_files "${series[@]}"); do
		if [[ -e $pristine/$f ]]; then
			mkdir -p "$stage/$(dirname "$f")"
			cp "$pristine/$f" "$stage/$f"
			chmod u+w "$stage/$f"
		fi
	done
	for p in "${series[@]}"; do
		patch -s -p1 -d "$stage" --no-backup-if-mismatch <"$p" ||
			die "patch does not apply: $p"
	done
	cp -r "${OVERLAY:-$LAB_ROOT/overlay}/." "$stage/"
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
