#!/usr/bin/env bash
# Assembles every testroms/src/*.asm with nasm into testroms/bin/NAME.img,
# and nothing else. A source may ask for more images built from it with
# extra nasm options, one line each:
#
#	;; variant: demo-selftest -DSELFTEST
#
# builds bin/demo-selftest.img from demo.asm with -DSELFTEST. A line
#
#	;; elf: mbkernel -DELF
#
# builds bin/mbkernel.elf the same way: a file that is not a floppy image
# (an ELF kernel for -kernel, its headers written in the source), kept
# out of the .img set. The outputs are plain nasm -f bin output (no
# timestamps, no paths), so a rebuild is byte for byte the same: CI runs
# this script and fails when git diff shows an image that differs from
# its source. Images (.img, .elf) in the output folder that no source
# builds are deleted.
#
# Usage: build.sh [OUTDIR]   (default: testroms/bin; the tests build into
# a temporary folder to compare with the committed images)
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-bin}

if ! command -v nasm >/dev/null 2>&1; then
	echo "build.sh: nasm is not installed (apt-get install -y nasm)" >&2
	exit 1
fi

# build FILE SRC [NASM-OPTION...] assembles SRC into $out/FILE.
build() {
	local file=$1 src=$2
	shift 2
	nasm -f bin -w+all -Werror -I src/ "$@" -o "$out/$file.tmp" "$src"
	mv "$out/$file.tmp" "$out/$file"
	built+=("$out/$file")
	echo "build.sh: $src ${*:+($*) }-> $out/$file"
}

mkdir -p "$out"
built=()
for src in src/*.asm; do
	name=$(basename "$src" .asm)
	build "$name.img" "$src"
	while read -r vname vopts; do
		# shellcheck disable=SC2086 # vopts is a list of nasm options
		build "$vname.img" "$src" $vopts
	done < <(sed -n 's/^;;[[:space:]]*variant:[[:space:]]*//p' "$src")
	while read -r ename eopts; do
		# shellcheck disable=SC2086 # eopts is a list of nasm options
		build "$ename.elf" "$src" $eopts
	done < <(sed -n 's/^;;[[:space:]]*elf:[[:space:]]*//p' "$src")
done

for img in "$out"/*.img "$out"/*.elf; do
	[ -e "$img" ] || continue
	case " ${built[*]} " in
	*" $img "*) ;;
	*)
		echo "build.sh: removing $img: no source builds it"
		rm -f "$img"
		;;
	esac
done
