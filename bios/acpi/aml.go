package acpi

import (
	"fmt"
	"strings"
)

// A tiny AML encoder: just the objects the DSDT needs. Opcode values and
// encodings are from the ACPI specification, "ACPI Machine Language (AML)
// Specification" (chapter 20 in 6.x, 16 in 2.0).
const (
	amlZeroOp        = 0x00
	amlOneOp         = 0x01
	amlNameOp        = 0x08
	amlBytePrefix    = 0x0A
	amlWordPrefix    = 0x0B
	amlDWordPrefix   = 0x0C
	amlStringPrefix  = 0x0D
	amlQWordPrefix   = 0x0E
	amlScopeOp       = 0x10
	amlPackageOp     = 0x12
	amlDualNamePfx   = 0x2E
	amlMultiNamePfx  = 0x2F
	amlExtOpPrefix   = 0x5B
	amlDeviceOp      = 0x82 // after amlExtOpPrefix
	amlRootChar      = '\\'
	amlParentPrefix  = '^'
	amlNullName      = 0x00
	amlMaxPkgLength  = 1<<28 - 1
	amlMaxPkgElement = 255
)

// encoder accumulates AML and the first error, so that building a tree
// of objects reads like the ASL it encodes.
type encoder struct{ err error }

func (e *encoder) fail(format string, args ...any) []byte {
	if e.err == nil {
		e.err = fmt.Errorf("acpi: aml: "+format, args...)
	}
	return nil
}

// pkgLength encodes PkgLength for a body of n bytes: the value counts the
// PkgLength bytes themselves. One byte holds up to 63; longer lengths put
// the byte count in bits 7-6 of the lead byte, the low nibble in bits 3-0,
// and the rest in the following bytes.
func (e *encoder) pkgLength(n int) []byte {
	for extra := 0; extra <= 3; extra++ {
		total := n + 1 + extra
		if extra == 0 {
			if total <= 0x3F {
				return []byte{byte(total)}
			}
			continue
		}
		if total < 1<<(4+8*extra) {
			b := []byte{byte(extra)<<6 | byte(total&0x0F)}
			for i := 0; i < extra; i++ {
				b = append(b, byte(total>>(4+8*i)))
			}
			return b
		}
	}
	return e.fail("a body of %d bytes is longer than a PkgLength can say", n)
}

// nameSeg checks and pads one name segment: a letter or underscore, then
// up to three letters, digits or underscores, padded with '_'.
func (e *encoder) nameSeg(s string) []byte {
	if len(s) == 0 || len(s) > 4 {
		return e.fail("name segment %q: 1 to 4 characters", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return e.fail("name segment %q: character %q not allowed", s, c)
		}
	}
	return []byte(s + strings.Repeat("_", 4-len(s)))
}

// nameString encodes an ASL name path: an optional '\' or '^' prefixes,
// then segments separated by dots ("\_SB_.PCI0", "_S5_", "^FOO").
func (e *encoder) nameString(path string) []byte {
	var b []byte
	rest := path
	if strings.HasPrefix(rest, `\`) {
		b = append(b, amlRootChar)
		rest = rest[1:]
	} else {
		for strings.HasPrefix(rest, "^") {
			b = append(b, amlParentPrefix)
			rest = rest[1:]
		}
	}
	if rest == "" {
		return append(b, amlNullName)
	}
	segs := strings.Split(rest, ".")
	switch {
	case len(segs) == 2:
		b = append(b, amlDualNamePfx)
	case len(segs) > 2:
		if len(segs) > 255 {
			return e.fail("name %q has too many segments", path)
		}
		b = append(b, amlMultiNamePfx, byte(len(segs)))
	}
	for _, s := range segs {
		b = append(b, e.nameSeg(s)...)
	}
	return b
}

// integer encodes a constant in the shortest form: ZeroOp, OneOp or a
// byte, word, dword or qword prefix.
func (e *encoder) integer(v uint64) []byte {
	switch {
	case v == 0:
		return []byte{amlZeroOp}
	case v == 1:
		return []byte{amlOneOp}
	case v <= 0xFF:
		return []byte{amlBytePrefix, byte(v)}
	case v <= 0xFFFF:
		return []byte{amlWordPrefix, byte(v), byte(v >> 8)}
	case v <= 0xFFFFFFFF:
		return []byte{amlDWordPrefix, byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}
	}
	b := []byte{amlQWordPrefix}
	for i := 0; i < 8; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// str encodes a string constant: ASCII without NUL.
func (e *encoder) str(s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 || s[i] > 0x7F {
			return e.fail("string %q: ASCII without NUL only", s)
		}
	}
	return append(append([]byte{amlStringPrefix}, s...), 0)
}

// eisaID encodes EISAID("PNP0A03"): three letters of five bits each and
// four hex digits, stored as a big-endian 32-bit value in a DWordConst.
func (e *encoder) eisaID(id string) []byte {
	if len(id) != 7 {
		return e.fail("EISA ID %q: want three letters and four hex digits", id)
	}
	var v uint32
	for i := 0; i < 3; i++ {
		c := id[i]
		if c < 'A' || c > 'Z' {
			return e.fail("EISA ID %q: want three capital letters first", id)
		}
		v = v<<5 | uint32(c-'@')
	}
	for i := 3; i < 7; i++ {
		c := id[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return e.fail("EISA ID %q: want four hex digits last", id)
		}
		v = v<<4 | uint32(d)
	}
	return []byte{amlDWordPrefix, byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

// name encodes Name(path, value).
func (e *encoder) name(path string, value []byte) []byte {
	b := append([]byte{amlNameOp}, e.nameString(path)...)
	return append(b, value...)
}

// pkg encodes Package(){elems...}: each element an encoded constant.
func (e *encoder) pkg(elems ...[]byte) []byte {
	if len(elems) > amlMaxPkgElement {
		return e.fail("a package of %d elements is more than %d", len(elems), amlMaxPkgElement)
	}
	body := []byte{byte(len(elems))}
	for _, el := range elems {
		body = append(body, el...)
	}
	return e.withLength([]byte{amlPackageOp}, body)
}

// scope encodes Scope(path){terms...}.
func (e *encoder) scope(path string, terms ...[]byte) []byte {
	body := e.nameString(path)
	for _, t := range terms {
		body = append(body, t...)
	}
	return e.withLength([]byte{amlScopeOp}, body)
}

// device encodes Device(name){terms...}.
func (e *encoder) device(name string, terms ...[]byte) []byte {
	body := e.nameString(name)
	for _, t := range terms {
		body = append(body, t...)
	}
	return e.withLength([]byte{amlExtOpPrefix, amlDeviceOp}, body)
}

// withLength returns op, PkgLength(body), body.
func (e *encoder) withLength(op, body []byte) []byte {
	b := append(op, e.pkgLength(len(body))...)
	return append(b, body...)
}
