// Package disk is the storage backend shared by the floppy and IDE
// controllers: a raw disk image of fixed size with bounds-checked reads
// and writes, optional read-only protection and a copy-on-write overlay
// for QEMU's -snapshot mode.
//
// Every access is checked against the image size before anything is read
// or written: an access that does not fit entirely inside the image fails
// with ErrOutOfRange and transfers nothing, so a device never sees a short
// read padded with garbage and never writes past the end of a file.
//
// In snapshot mode the backing store is opened read-only and never
// written; writes go to an in-memory copy-on-write overlay of 512-byte
// sectors that later reads see. Discarding the Image (or Close) discards
// the overlay. Open in snapshot mode opens the file read-only, so not even
// a bug here could write it.
package disk
