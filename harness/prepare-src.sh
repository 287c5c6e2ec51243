#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: [SERIES_STEP=N] prepare-src.sh ours|baseline
#
# Bring $WORK/src/ours to pristine 6.12 plus `git am` of the series exactly
# as `make patches` writes it (harness/series.sh), up to patch SERIES_STEP
# (default: all of it), or $WORK/src/baseline to pristine. Both get the
# lab-only kernel code of lab-kernel/ on top. Files are rewritten only when
# their content changes, so make's timestamps stay meaningful and a rebuild
# after editing one of our files recompiles only what depends on it.
. "$(dirname "$0")/lib.sh"
. "$HARNESS/series.sh"

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
# trees, after the series, and never into the series.
LAB_KERNEL=$LAB_ROOT/lab-kernel
lab_patches() {
	ls "$LAB_KERNEL"/patches/*.patch 2>/dev/null | sort
}

stage_tree() {
	local stage=$1 f p
	local -a lab=()

	rm -rf "$stage"
	mkdir -p "$stage"
	if [[ $tree == ours ]]; then
		series_export "$step" "$stage"
	fi
	mapfile -t lab < <(lab_patches)
	for f in $(sed -n 's#^+++ b/\(.*\)$#\1#p' "${lab[@]}" /dev/null | sort -u); do
		if [[ ! -e $stage/$f && -e $pristine/$f ]]; then
			mkdir -p "$stage/$(dirname "$f")"
			cp "$pristine/$f" "$stage/$f"
			chmod u+w "$stage/$f"
		fi
	done
	for p in "${lab[@]}"; do
		patch -s -p1 -d "$stage" --no-backup-if-mismatch <"$p" ||
			die "patch does not apply: $p"
	done
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
	# Files we touched last time, or that any patch of the series touches,
	# but that this stage does not hold go back to pristine (or go).
	{
		cat "$manifest" 2>/dev/null
		[[ $tree == ours ]] && series_patch_files
	} | sort -u | comm -23 - "$new_manifest" | while read -r f; do
		if [[ -e $pristine/$f ]]; then
			cmp -s "$pristine/$f" "$dst/$f" && continue
			cp "$pristine/$f" "$dst/$f"
			chmod u+w "$dst/$f"
		else
			rm -f "$dst/$f"
		fi
	done
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
if [[ $tree == ours ]]; then
	exec 6>"$WORK/src/.lock-series"
	flock -w 600 6 || die "the series is locked"
	# The series only changes with patches/ and overlay/: build and apply
	# it again only then (series-build.sh prepares the tree twice a patch).
	key=$( (cd "$LAB_ROOT" && find patches overlay -type f -print0 | sort -z |
		xargs -0 md5sum) | md5sum)
	if [[ ! -d $SERIES_AM || $(cat "$WORK/series.key" 2>/dev/null) != "$key" ]]; then
		rm -f "$WORK/series.key"
		series_build
		series_apply
		echo "$key" >"$WORK/series.key"
	fi
	step=${SERIES_STEP:-$(series_count)}
fi
stage=$WORK/src/.stage-$tree
stage_tree "$stage"
n=$(sync_tree "$stage")
rm -rf "$stage"
log "src/$tree in sync${step:+ at patch $step of $(series_count)} ($n files rewritten)"
