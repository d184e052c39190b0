#!/usr/bin/env bash
# Builds bios/bios.bin from bios/src: regenerates src/font.asm from
# genfont.go (when Go is installed), then assembles src/bios.asm with NASM.
# The output is a pure function of the sources (no timestamps), so CI can
# rebuild it and check that the committed image did not change.
set -euo pipefail
cd "$(dirname "$0")"
if command -v go >/dev/null 2>&1; then
	go run genfont.go -o src/font.asm
fi
nasm -f bin -w+all -I src/ -o bios.bin src/bios.asm
size=$(wc -c <bios.bin)
if [ "$size" -ne 65536 ]; then
	echo "bios/build.sh: bios.bin is $size bytes, not 65536" >&2
	exit 1
fi
