package floppy

import (
	"errors"
	"fmt"
)

// ErrUnknownSize is returned by GeometryFor and Attach for an image whose
// size is no floppy format.
var ErrUnknownSize = errors.New("floppy: image size matches no floppy format")

// Geometry is the layout of a floppy medium: every track holds Sectors
// sectors of 512 bytes numbered from 1.
type Geometry struct {
	Name      string // the format's usual name, such as "1.44M"
	Cylinders int    // tracks per side
	Heads     int    // sides, 1 or 2
	Sectors   int    // sectors per track
	RateKbps  int    // data rate the medium is recorded at, in kbit/s
	rates     uint8  // data rate codes (bit n = DSR code n) that read it
}

// Size is the number of bytes the geometry holds.
func (g Geometry) Size() int64 {
	return int64(g.Cylinders) * int64(g.Heads) * int64(g.Sectors) * sectorSize
}

// Rate code bits for Geometry.rates.
const (
	rate500  = 1 << 0
	rate300  = 1 << 1
	rate250  = 1 << 2
	rate1000 = 1 << 3
)

// formats lists the media the controller accepts. 5.25-inch double
// density media is written at 250 kbit/s in a 360K drive and read at 300
// kbit/s in a 1.2M drive (same bits at 360 rpm), so either rate reads it.
var formats = []Geometry{
	{"160K", 40, 1, 8, 250, rate250 | rate300},
	{"180K", 40, 1, 9, 250, rate250 | rate300},
	{"320K", 40, 2, 8, 250, rate250 | rate300},
	{"360K", 40, 2, 9, 250, rate250 | rate300},
	{"720K", 80, 2, 9, 250, rate250},
	{"1.2M", 80, 2, 15, 500, rate500},
	{"1.44M", 80, 2, 18, 500, rate500},
	{"1.68M", 80, 2, 21, 500, rate500}, // Microsoft DMF
	{"2.88M", 80, 2, 36, 1000, rate1000},
}

// GeometryFor returns the floppy format of an image of size bytes.
func GeometryFor(size int64) (Geometry, error) {
	for _, g := range formats {
		if g.Size() == size {
			return g, nil
		}
	}
	return Geometry{}, fmt.Errorf("%w: %d bytes", ErrUnknownSize, size)
}

// readable reports whether data rate code rate reads the medium.
func (g Geometry) readable(rate uint8) bool { return g.rates&(1<<(rate&3)) != 0 }
