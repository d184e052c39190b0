#!/bin/sh
# Rebuilds the test guests' images (committed, so tests need no nasm).
set -e
cd "$(dirname "$0")"
for f in *.asm; do
	nasm -f bin -o "${f%.asm}.bin" "$f"
done
