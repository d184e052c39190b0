#!/usr/bin/env bash
# Boots test ROM images under Bochs, the second reference for what QEMU's
# TCG does not model (the -strict images: segment limits, the EXT bit,
# the TSS T bit, DR7.GD, global pages kept across CR3 loads, RDMSR of the
# TSC), and prints what each writes on port 0xE9. It is a tool for
# checking a ROM by hand, not part of the tests.
#
# Bochs has no isa-debug-exit, so a run stops at the ROM's last line
# ("NAME: pass" or "NAME: FAIL"), or after BOCHS_TIMEOUT seconds. The
# Debian build has no headless display: the VNC one (rfb) stands in, and
# the built-in debugger is told to continue. The exit status is 0 when
# every ROM passed.
#
# Usage: bochs.sh [NAME...]   (default: every bin/*-strict.img)
# Environment: BOCHS_CPU (default p2_klamath; `bochs --help cpu` lists
# them), BOCHS_TIMEOUT (default 60).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v bochs >/dev/null 2>&1; then
	echo "bochs.sh: bochs is not installed (apt-get install -y bochs bochsbios vgabios)" >&2
	exit 1
fi

cpu=${BOCHS_CPU:-p2_klamath}
timeout=${BOCHS_TIMEOUT:-60}
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for img in bin/*-strict.img; do
		names+=("$(basename "$img" .img)")
	done
fi

work=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

status=0
for name in "${names[@]}"; do
	img=$PWD/bin/$name.img
	if [ ! -f "$img" ]; then
		echo "bochs.sh: no image $img" >&2
		status=1
		continue
	fi
	cat >"$work/bochsrc" <<EOF
megs: 32
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
cpu: model=$cpu, ips=50000000
floppya: 160k=$img, status=inserted
boot: floppy
display_library: rfb, options="timeout=0"
log: $work/log.txt
port_e9_hack: enabled=1
clock: sync=none
sound: driver=dummy
speaker: enabled=0
EOF
	echo c >"$work/commands"
	# /usr/bin/bochs execs bochs-bin: $! is Bochs itself.
	(cd "$work" && exec bochs -q -f bochsrc -rc commands >out.txt 2>&1 </dev/null) &
	pid=$!
	verdict=
	for ((i = 0; i < timeout * 4; i++)); do
		sleep 0.25
		if verdict=$(grep -E -m1 "^$name: (pass|FAIL)$" "$work/out.txt" 2>/dev/null); then
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=
	# What the guest printed: from the ROM's first line on.
	sed -n "/^$name: /,/^$name: \(pass\|FAIL\)$/p" "$work/out.txt"
	if [ "$verdict" != "$name: pass" ]; then
		echo "bochs.sh: $name did not pass under Bochs ($cpu)${verdict:+: $verdict}" >&2
		grep -E ">>PANIC<<" "$work/log.txt" 2>/dev/null | head -3 >&2 || true
		status=1
	fi
done
exit $status
