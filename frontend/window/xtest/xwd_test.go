package xtest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math/bits"
)

// decodeXWD reads the X Window Dump that xwd writes (X11 XWDFile.h,
// version 7): a header of 25 big-endian 32-bit fields, the window name,
// the colour map, then the pixels. Only TrueColor and DirectColor
// ZPixmaps of 16, 24 or 32 bits per pixel are read, which is what a
// 24-bit Xvfb screen gives.
func decodeXWD(b []byte) (*image.RGBA, error) {
	if len(b) < 100 {
		return nil, errors.New("xwd: short header")
	}
	f := func(i int) uint32 { return binary.BigEndian.Uint32(b[4*i:]) }
	var (
		headerSize = int(f(0))
		version    = f(1)
		format     = f(2)
		width      = int(f(4))
		height     = int(f(5))
		byteOrder  = f(7) // 0 LSBFirst, 1 MSBFirst
		bpp        = int(f(11))
		stride     = int(f(12))
		class      = f(13)
		masks      = [3]uint32{f(14), f(15), f(16)}
		ncolors    = int(f(19))
	)
	switch {
	case version != 7:
		return nil, fmt.Errorf("xwd: version %d, want 7", version)
	case format != 2:
		return nil, fmt.Errorf("xwd: pixmap format %d, want ZPixmap (2)", format)
	case class != 4 && class != 5:
		return nil, fmt.Errorf("xwd: visual class %d, want TrueColor or DirectColor", class)
	case bpp != 16 && bpp != 24 && bpp != 32:
		return nil, fmt.Errorf("xwd: %d bits per pixel", bpp)
	}
	off := headerSize + 12*ncolors
	if off < 100 || len(b) < off+stride*height || stride < width*bpp/8 {
		return nil, errors.New("xwd: truncated")
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	n := bpp / 8
	for y := 0; y < height; y++ {
		row := b[off+y*stride:]
		for x := 0; x < width; x++ {
			var v uint32
			for i := 0; i < n; i++ {
				c := uint32(row[x*n+i])
				if byteOrder == 0 {
					v |= c << (8 * i)
				} else {
					v = v<<8 | c
				}
			}
			var rgb [3]uint8
			for i, m := range masks {
				if m == 0 {
					continue
				}
				c := (v & m) >> bits.TrailingZeros32(m)
				if w := bits.OnesCount32(m); w >= 8 {
					rgb[i] = uint8(c >> (w - 8))
				} else {
					rgb[i] = uint8(c << (8 - w))
				}
			}
			img.SetRGBA(x, y, color.RGBA{rgb[0], rgb[1], rgb[2], 0xFF})
		}
	}
	return img, nil
}
