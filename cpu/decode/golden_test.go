package decode_test

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// TestDecodeGolden checks hand-picked encodings in testdata/decode.txt:
// prefix orderings and repeats, addressing forms, immediates, model
// aliases and length limits (the file's header explains the format).
func TestDecodeGolden(t *testing.T) {
	f, err := os.Open("testdata/decode.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		parts := strings.Split(text, "|")
		if len(parts) != 3 {
			t.Fatalf("decode.txt:%d: want 3 |-separated parts", line)
		}
		src, err := parseHex(parts[0])
		if err != nil {
			t.Fatalf("decode.txt:%d: %v", line, err)
		}
		mode, err := parseMode(strings.TrimSpace(parts[1]))
		if err != nil {
			t.Fatalf("decode.txt:%d: %v", line, err)
		}
		want := strings.Fields(parts[2])
		got := goldenFields(src, mode)
		if want[0] != got["op"] {
			t.Errorf("decode.txt:%d: % X on %s: got %s, want %s", line, src, strings.TrimSpace(parts[1]), got["op"], want[0])
			continue
		}
		for _, kv := range want[1:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("decode.txt:%d: bad field %q", line, kv)
			}
			g, known := got[k]
			if !known {
				t.Fatalf("decode.txt:%d: unknown field %q", line, k)
			}
			if g != v {
				t.Errorf("decode.txt:%d: % X %s: %s=%s, want %s", line, src, want[0], k, g, v)
			}
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("only %d golden cases read", n)
	}
}

func parseHex(s string) ([]byte, error) {
	var b []byte
	for _, h := range strings.Fields(s) {
		v, err := strconv.ParseUint(h, 16, 8)
		if err != nil {
			return nil, err
		}
		b = append(b, byte(v))
	}
	return b, nil
}

var goldenModels = map[string]cpu.Model{
	"8086": cpu.Model8086, "186": cpu.Model186, "286": cpu.Model286, "386": cpu.Model386,
	"486": cpu.Model486, "586": cpu.ModelPentium, "p2": cpu.ModelP2,
}

func parseMode(s string) (decode.Mode, error) {
	m, code, _ := strings.Cut(s, "/")
	model, ok := goldenModels[m]
	if !ok || code != "16" && code != "32" {
		return decode.Mode{}, fmt.Errorf("bad mode %q", s)
	}
	return decode.Mode{Model: model, Code32: code == "32"}, nil
}

// goldenFields decodes src and renders every checked field as text.
func goldenFields(src []byte, mode decode.Mode) map[string]string {
	in, err := decode.Decode(src, mode)
	switch err {
	case nil:
	case decode.ErrTruncated:
		return map[string]string{"op": "error=truncated"}
	case decode.ErrTooLong:
		return map[string]string{"op": "error=toolong"}
	default:
		return map[string]string{"op": "error=" + err.Error()}
	}
	hex := func(v uint32) string { return fmt.Sprintf("%#x", v) }
	reg := func(r uint8) string {
		if r == decode.NoReg {
			return "-"
		}
		name := [8]string{"AX", "CX", "DX", "BX", "SP", "BP", "SI", "DI"}[r&7]
		if in.AdSize == 4 {
			name = "E" + name
		}
		return name
	}
	segs := [8]string{"ES", "CS", "SS", "DS", "FS", "GS", "?", "?"}
	seg := "-"
	if in.Prefixes&decode.PfxSeg != 0 {
		seg = segs[in.Seg&7]
	}
	var pfx []string
	for i, name := range []string{"lock", "rep", "repne", "opsize", "adsize", "seg"} {
		if in.Prefixes&(1<<i) != 0 {
			pfx = append(pfx, name)
		}
	}
	if len(pfx) == 0 {
		pfx = []string{"-"}
	}
	return map[string]string{
		"op":     in.Op.String(),
		"len":    strconv.Itoa(int(in.Len)),
		"opcode": fmt.Sprintf("%#x", in.Opcode),
		"modrm":  fmt.Sprintf("%#x", in.ModRM),
		"mem":    strconv.FormatBool(in.HasMem),
		"base":   reg(in.Base),
		"index":  reg(in.Index),
		"scale":  strconv.Itoa(int(in.Scale)),
		"disp":   hex(in.Disp),
		"defseg": segs[in.DefSeg&7],
		"seg":    seg,
		"imm":    hex(in.Imm),
		"imm2":   hex(in.Imm2),
		"opsize": strconv.Itoa(int(in.OpSize)),
		"adsize": strconv.Itoa(int(in.AdSize)),
		"pfx":    strings.Join(pfx, ","),
		"last":   strconv.Itoa(int(in.LastPrefix)),
	}
}

// TestLengthLimits checks each model's instruction-length limit: none on
// the 8086/186 (they take prefixes forever; the decoder stops at 255
// bytes, the most Inst.Len can say), 10 bytes on the 286 and 15
// on the 386 and later (longer raises #GP: ErrTooLong). The limit counts
// prefixes, and it wins over truncation: the interpreter hands the
// decoder exactly 15 bytes and must see ErrTooLong for a 16-byte
// instruction.
func TestLengthLimits(t *testing.T) {
	for m := cpu.Model8086; m <= cpu.ModelP2; m++ {
		limit := m.MaxInstLen()
		for _, code32 := range []bool{false, true} {
			if code32 && m < cpu.Model386 {
				continue
			}
			mode := decode.Mode{Model: m, Code32: code32}
			max := limit
			if max == 0 {
				max = 255 // no limit, but Inst.Len is a byte
			}
			for n := 1; n <= max+1; n++ {
				// n-1 segment overrides then NOP: n bytes.
				src := append(bytesOf(0x26, n-1), 0x90)
				in, err := decode.Decode(src, mode)
				switch {
				case n <= max:
					if err != nil || in.Len != uint8(n) || in.Op != decode.NOP {
						t.Fatalf("%v code32=%v: %d-byte NOP: %v len %d err %v", m, code32, n, in.Op, in.Len, err)
					}
				default:
					if err != decode.ErrTooLong {
						t.Fatalf("%v code32=%v: %d-byte NOP: err %v, want ErrTooLong", m, code32, n, err)
					}
					// Only the first max bytes are available: still too long.
					if _, err := decode.Decode(src[:max], mode); err != decode.ErrTooLong {
						t.Fatalf("%v: %d-byte NOP cut to %d bytes: err %v, want ErrTooLong", m, n, max, err)
					}
				}
			}
		}
	}
	// Without prefixes: ADD [EAX+ECX*8+disp32], imm32 is 11 bytes; four
	// prefixes make 15 (allowed), five make 16.
	body := []byte{0x81, 0x84, 0xC8, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}
	p2 := decode.Mode{Model: cpu.ModelP2, Code32: true}
	if in, err := decode.Decode(append([]byte{0x26, 0x2E, 0x36, 0x3E}, body...), p2); err != nil || in.Len != 15 {
		t.Errorf("15-byte ADD: len %d err %v", in.Len, err)
	}
	if _, err := decode.Decode(append([]byte{0x26, 0x2E, 0x36, 0x3E, 0x64}, body...), p2); err != decode.ErrTooLong {
		t.Errorf("16-byte ADD: err %v, want ErrTooLong", err)
	}
	// A 286 instruction of 10 bytes with an 11th-byte immediate.
	m286 := decode.Mode{Model: cpu.Model286}
	long := []byte{0x26, 0x2E, 0x36, 0x3E, 0x26, 0x81, 0x86, 0x34, 0x12, 0x78, 0x56}
	if _, err := decode.Decode(long, m286); err != decode.ErrTooLong {
		t.Errorf("11-byte 286 ADD: err %v, want ErrTooLong", err)
	}
	if in, err := decode.Decode(long[1:], m286); err != nil || in.Len != 10 {
		t.Errorf("10-byte 286 ADD: len %d err %v", in.Len, err)
	}
}

func bytesOf(b byte, n int) []byte {
	s := make([]byte, n)
	for i := range s {
		s[i] = b
	}
	return s
}

// TestOpsAndRowsAgree checks the generated table: every Op is reachable
// from some row, and an Op carries FlagAlias exactly when all its rows
// are alias rows (82 /0 is an alias row of ADD_EbIb, which is not itself
// an alias).
func TestOpsAndRowsAgree(t *testing.T) {
	rows := map[decode.Op]int{}
	aliasRows := map[decode.Op]int{}
	for _, r := range decode.SlotRows() {
		rows[r.Op]++
		if r.Alias {
			aliasRows[r.Op]++
		}
	}
	for op := decode.Invalid + 1; op < decode.NumOps; op++ {
		if rows[op] == 0 {
			t.Errorf("%v: no opcode row", op)
		}
		isAlias := op.Info().Flags&decode.FlagAlias != 0
		if allAlias := aliasRows[op] == rows[op]; isAlias != allAlias {
			t.Errorf("%v: FlagAlias %v, but %d of its %d rows are aliases", op, isAlias, aliasRows[op], rows[op])
		}
	}
}
