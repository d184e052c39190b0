package cputest

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// The MOO format (github.com/dbalsom/moo, doc/moo_format_v1.md): a tree of
// chunks, each a 4-byte ASCII id, a u32 payload length and the payload, all
// little-endian. Readers step over chunks by their length and skip ids they
// don't know (GMET, CYCL, QUEU, the 386's RG32/RM32/EA32…).

// mooHeader is the payload of the leading "MOO " chunk.
type mooHeader struct {
	Major, Minor uint8
	Count        uint32 // number of TEST chunks
	CPU          string // "8086", "C286", …
}

// mooChunk splits the first chunk off b.
func mooChunk(b []byte) (id string, payload, rest []byte, err error) {
	if len(b) < 8 {
		return "", nil, nil, fmt.Errorf("truncated chunk header (%d bytes left)", len(b))
	}
	n := binary.LittleEndian.Uint32(b[4:8])
	if uint64(n) > uint64(len(b)-8) {
		return "", nil, nil, fmt.Errorf("chunk %q: length %d exceeds the %d bytes left", b[:4], n, len(b)-8)
	}
	return string(b[:4]), b[8 : 8+n], b[8+n:], nil
}

// parseMOO decodes a whole (uncompressed) MOO file.
func parseMOO(b []byte) (mooHeader, []Test, error) {
	var h mooHeader
	id, p, rest, err := mooChunk(b)
	if err != nil {
		return h, nil, err
	}
	if id != "MOO " || len(p) < 12 {
		return h, nil, fmt.Errorf("not a MOO file (first chunk %q)", id)
	}
	h = mooHeader{Major: p[0], Minor: p[1], Count: binary.LittleEndian.Uint32(p[4:8]), CPU: string(p[8:12])}
	fileMask := allOnes()
	tests := make([]Test, 0, min(h.Count, 1<<16))
	for len(rest) > 0 {
		if id, p, rest, err = mooChunk(rest); err != nil {
			return h, nil, fmt.Errorf("test %d: %w", len(tests), err)
		}
		switch id {
		case "RMSK": // masks for every test of the file
			var m Regs
			if err := parseRegs(p, &m); err != nil {
				return h, nil, fmt.Errorf("top-level RMSK: %w", err)
			}
			andMask(&fileMask, &m)
		case "TEST":
			t, err := parseMOOTest(p)
			if err != nil {
				return h, nil, fmt.Errorf("test %d: %w", len(tests), err)
			}
			t.Index = len(tests) // the 8086 file stores 0 for every index
			tests = append(tests, t)
		}
	}
	if fileMask != allOnes() {
		for i := range tests {
			for r := range tests[i].Mask {
				tests[i].Mask[r] &= fileMask[r]
			}
		}
	}
	return h, tests, nil
}

func allOnes() [NumRegs]uint16 {
	var m [NumRegs]uint16
	for i := range m {
		m[i] = 0xFFFF
	}
	return m
}

// andMask narrows mask by the registers an RMSK chunk gives.
func andMask(mask *[NumRegs]uint16, m *Regs) {
	for r := Reg(0); r < NumRegs; r++ {
		if m.Has(r) {
			mask[r] &= m.V[r]
		}
	}
}

// parseMOOTest decodes a TEST payload: a u32 index, then subchunks.
func parseMOOTest(b []byte) (Test, error) {
	t := Test{Mask: allOnes()}
	if len(b) < 4 {
		return t, fmt.Errorf("truncated TEST chunk")
	}
	rest := b[4:]
	var seen uint8
	for len(rest) > 0 {
		id, p, r, err := mooChunk(rest)
		if err != nil {
			return t, err
		}
		rest = r
		switch id {
		case "NAME":
			s, err := lenPrefixed(p)
			if err != nil {
				return t, fmt.Errorf("NAME: %w", err)
			}
			t.Name = string(s)
		case "BYTS":
			s, err := lenPrefixed(p)
			if err != nil {
				return t, fmt.Errorf("BYTS: %w", err)
			}
			t.Bytes = append([]byte(nil), s...)
		case "INIT":
			if err := parseState(p, &t.Init, nil); err != nil {
				return t, fmt.Errorf("INIT: %w", err)
			}
			seen |= 1
		case "FINA":
			if err := parseState(p, &t.Final, &t.Mask); err != nil {
				return t, fmt.Errorf("FINA: %w", err)
			}
			seen |= 2
		case "EXCP":
			if len(p) < 5 {
				return t, fmt.Errorf("EXCP: %d bytes, want 5", len(p))
			}
			t.Exception = &Exception{Vector: p[0], FlagsAddr: binary.LittleEndian.Uint32(p[1:5])}
		case "HASH":
			t.Hash = hex.EncodeToString(p)
		}
	}
	if seen != 3 {
		return t, fmt.Errorf("missing INIT or FINA")
	}
	if t.Init.Regs.Have != AllRegs {
		return t, fmt.Errorf("INIT gives registers %#x, want all (%#x)", t.Init.Regs.Have, AllRegs)
	}
	return t, nil
}

// lenPrefixed returns the bytes of a u32-length-prefixed field.
func lenPrefixed(p []byte) ([]byte, error) {
	if len(p) < 4 {
		return nil, fmt.Errorf("truncated")
	}
	n := binary.LittleEndian.Uint32(p)
	if uint64(n) > uint64(len(p)-4) {
		return nil, fmt.Errorf("length %d exceeds the %d bytes left", n, len(p)-4)
	}
	return p[4 : 4+n], nil
}

// parseState decodes an INIT or FINA payload. A FINA RMSK narrows mask.
func parseState(b []byte, s *Snapshot, mask *[NumRegs]uint16) error {
	for len(b) > 0 {
		id, p, rest, err := mooChunk(b)
		if err != nil {
			return err
		}
		b = rest
		switch id {
		case "REGS":
			if err := parseRegs(p, &s.Regs); err != nil {
				return fmt.Errorf("REGS: %w", err)
			}
		case "RMSK":
			if mask == nil {
				continue
			}
			var m Regs
			if err := parseRegs(p, &m); err != nil {
				return fmt.Errorf("RMSK: %w", err)
			}
			andMask(mask, &m)
		case "RAM ":
			if len(p) < 4 {
				return fmt.Errorf("RAM: truncated")
			}
			n := binary.LittleEndian.Uint32(p)
			if uint64(n)*5 > uint64(len(p)-4) {
				return fmt.Errorf("RAM: %d entries exceed the %d bytes left", n, len(p)-4)
			}
			s.RAM = make([]MemByte, n)
			for i := range s.RAM {
				e := p[4+5*i:]
				s.RAM[i] = MemByte{Addr: binary.LittleEndian.Uint32(e), Val: e[4]}
			}
		}
	}
	return nil
}

// parseRegs decodes a REGS or RMSK payload: a u16 bitmask, then one u16
// for each set bit, in Reg order.
func parseRegs(p []byte, r *Regs) error {
	if len(p) < 2 {
		return fmt.Errorf("truncated")
	}
	have := binary.LittleEndian.Uint16(p)
	p = p[2:]
	for reg := Reg(0); reg < 16; reg++ {
		if have&(1<<reg) == 0 {
			continue
		}
		if len(p) < 2 {
			return fmt.Errorf("bitmask %#x: values truncated", have)
		}
		if reg < NumRegs {
			r.Set(reg, binary.LittleEndian.Uint16(p))
		}
		p = p[2:]
	}
	return nil
}
