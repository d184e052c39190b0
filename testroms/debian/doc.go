// Package debian fetches the Debian 12 packages that ringzero's real-guest
// tests boot (an i386 kernel, busybox-static, memtest86+, iPXE, ...) and
// builds the files those tests need from them, such as a busybox
// initramfs. Nothing of Debian's is committed: packages are downloaded
// with `apt-get download` into a cache folder (RINGZERO_CACHE, else the
// user's cache folder) and unpacked there with dpkg-deb.
//
// Fetching needs apt-get and dpkg-deb, and for i386 packages on an amd64
// host the i386 architecture (`dpkg --add-architecture i386 && apt-get
// update`, which .ci/run does). When something is missing, the functions
// return an error that says what; tests turn it into a skip, or a failure
// under RINGZERO_NO_SKIP=1.
package debian
