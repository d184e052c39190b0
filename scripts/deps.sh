# shellcheck shell=bash
# Debian packages ringzero's scripts need, and ensure_debs, which installs
# the missing ones when it can. Sourced by scripts/run, scripts/test and
# .ci/run. Set RINGZERO_NO_INSTALL=1 to only report what is missing.

# WINDOW_DEBS build the ebiten window (frontend/window links X11 and
# OpenGL through cgo, and ALSA for sound).
WINDOW_DEBS="gcc libc6-dev pkg-config libgl1-mesa-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev libxxf86vm-dev libasound2-dev"

# TEST_DEBS are the tests' tools: nasm rebuilds testroms, QEMU and Bochs
# are the reference machines the differential tests compare against, Xvfb
# gives the window tests a display, xdotool types into the window through
# the X server and xwd (x11-apps) captures it. acpica-tools' iasl
# disassembles the ACPI tables that bios/acpi builds; cpio reads back the
# initramfs archives that testroms/debian writes, and dosfstools, syslinux
# and mtools make its SYSLINUX disk; grub-pc-bin, grub-common, xorriso,
# isolinux and syslinux-common make the CDs the El Torito tests boot, and
# memtest86+ is one of them.
TEST_DEBS="nasm qemu-system-x86 bochs bochs-term bochsbios vgabios xvfb xauth xdotool x11-apps acpica-tools seabios gdb cpio dosfstools syslinux grub-pc-bin grub-common xorriso mtools isolinux syslinux-common memtest86+"

# missing_debs prints the packages among its arguments that are not
# installed; nothing if dpkg is not there to ask.
missing_debs() {
	command -v dpkg-query >/dev/null 2>&1 || return 0
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || printf '%s\n' "$p"
	done
}

# ensure_debs WHAT PKG... installs the missing PKGs with apt-get as root or
# through passwordless sudo. It returns 0 when all of them are installed in
# the end; otherwise it says on stderr which are missing, for WHAT, and
# returns 1.
ensure_debs() {
	local what=$1
	shift
	if ! command -v dpkg-query >/dev/null 2>&1; then
		echo "ringzero: not a Debian system: cannot check for $what ($*); install their equivalents" >&2
		return 1
	fi
	local missing
	missing=$(missing_debs "$@" | tr '\n' ' ')
	[ -z "$missing" ] && return 0

	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		else
			sudo=(none)
		fi
	fi
	if [ "${RINGZERO_NO_INSTALL:-}" = 1 ] || [ "${sudo[0]:-}" = none ]; then
		echo "ringzero: missing Debian packages for $what: $missing" >&2
		echo "ringzero: to install them: sudo apt-get install -y $missing" >&2
		return 1
	fi
	echo "ringzero: installing $missing for $what" >&2
	# shellcheck disable=SC2086 # $missing is a list of package names
	if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2; then
		# A fresh machine has no package lists yet.
		"${sudo[@]}" apt-get update -q >&2 || true
		# shellcheck disable=SC2086
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2 || true
	fi
	missing=$(missing_debs "$@" | tr '\n' ' ')
	if [ -n "$missing" ]; then
		echo "ringzero: could not install $missing, needed for $what" >&2
		return 1
	fi
	return 0
}
