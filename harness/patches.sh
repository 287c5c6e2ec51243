#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make patches`: turn patches/ and overlay/ into one `git format-patch`
# series against pristine 6.12 in $WORK/series/ (see harness/series.sh),
# then prove it the way a user applies it: `git am` of every patch onto a
# fresh copy of the whole pristine tree must apply cleanly and give the
# files the lab builds (those of $WORK/series-am).
. "$(dirname "$0")/lib.sh"
. "$HARNESS/series.sh"

"$HARNESS/prepare-src.sh" ours >/dev/null || exit 1

prove_series() {
	local proof=$WORK/series-proof f bad=0
	local -a p
	rm -rf "$proof"
	cp -a "$pristine" "$proof"
	chmod -R u+w "$proof"
	git_c "$proof" init -q
	while read -r f; do
		[[ -e $proof/$f ]] && git_c "$proof" add -f "$f"
	done < <(series_patch_files)
	git_c "$proof" commit -q -m pristine
	mapfile -t p < <(series_patches)
	git_c "$proof" am -q "${p[@]}" ||
		die "the series does not git-am on pristine 6.12"
	while read -r f; do
		if [[ -e $SERIES_AM/$f ]]; then
			cmp -s "$proof/$f" "$SERIES_AM/$f" || { echo "differs: $f"; bad=1; }
		elif [[ -e $proof/$f ]]; then
			echo "only in the proof: $f"
			bad=1
		fi
	done < <(series_patch_files)
	rm -rf "$proof"
	((bad == 0)) || die "git am on the whole tree differs from the lab's tree"
	log "series: $(series_count) patches in $SERIES_DIR; they git-am on pristine 6.12 and give the lab's tree"
}

prove_series
