package decode

import (
	"fmt"

	"ringzero/cpu"
)

//go:generate go run ./gen -in opcodes.csv -out ops_gen.go

// Op names one instruction form of the opcode table (e.g. ADD_EbGb). It
// indexes the interpreter's handler table and OpInfo.
type Op uint16

// Flags describe an Op; they come from the table's flags column and from
// its operands.
type Flags uint16

// Op flags.
const (
	FlagLock    Flags = 1 << iota // LOCK prefix allowed (with a memory destination)
	FlagStr                       // string instruction: REP/REPNE apply
	FlagJmp                       // control transfer
	FlagEnd                       // ends a translated block (mode or flag changes)
	FlagIo                        // port I/O
	FlagPriv                      // CPL 0 only in protected mode
	FlagAlias                     // undocumented alias of another encoding
	FlagUndoc                     // undocumented instruction
	FlagPrefix                    // a prefix byte
	FlagByte                      // operates on bytes
	FlagModRM                     // has a ModRM byte
	FlagMemOnly                   // the r/m operand must be memory (else #UD)
	FlagRegOnly                   // the r/m operand is always a register (mod ignored)
	FlagNp                        // SDM "NP": with a 66, F2 or F3 prefix it is another (SSE) instruction, #UD here
)

// ImmKind says which immediate bytes follow the opcode and ModRM.
type ImmKind uint8

// Immediate kinds.
const (
	ImmNone  ImmKind = iota
	ImmB             // 8-bit, zero-extended
	ImmBS            // 8-bit, sign-extended
	ImmW             // 16-bit
	ImmZ             // 16 or 32-bit by operand size
	ImmJb            // 8-bit relative, sign-extended
	ImmJz            // 16 or 32-bit relative by operand size
	ImmAp            // far pointer: offset (16/32 by operand size) then selector
	ImmMoffs         // memory offset, 16 or 32-bit by address size
	ImmEnter         // ENTER: 16-bit size then 8-bit nesting level
)

// OpInfo describes one Op.
type OpInfo struct {
	Name     string // Go identifier, e.g. "ADD_EbGb"
	Mnemonic string // e.g. "ADD"
	Operands string // SDM Appendix A notation, e.g. "Eb,Gb"
	Imm      ImmKind
	Flags    Flags
}

// Info returns the table entry for op.
func (op Op) Info() *OpInfo {
	if int(op) >= len(opInfo) {
		return &opInfo[Invalid]
	}
	return &opInfo[op]
}

func (op Op) String() string { return op.Info().Name }

// SlotRow is one row of the opcode table as placed in the opcode maps: the
// opcode byte(s), ModRM reg field for groups (-1 if none), how many
// consecutive opcodes it covers, and the models it applies to.
type SlotRow struct {
	TwoByte  bool // 0F map
	Opcode   uint8
	Reg      int8
	Count    uint8
	Op       Op
	Min, Max cpu.Model
	Alias    bool // an undocumented alias encoding of Op (e.g. 82 /0 for ADD Eb,Ib)
}

// SlotRows returns the opcode table rows (for enumerating tests).
func SlotRows() []SlotRow { return slotRows }

// slot is a decoder table entry for one opcode byte.
type slot struct {
	op    Op     // when not a group
	group *[8]Op // ModRM.reg selects the Op
	modrm bool   // a ModRM byte follows
}

// opTable is the decoding table of one model: one-byte map then 0F map.
type opTable struct {
	slots  [512]slot
	groups [][8]Op
}

var tables [cpu.ModelP2 + 1]*opTable

func init() {
	for m := cpu.Model8086; m <= cpu.ModelP2; m++ {
		t, err := buildTable(m)
		if err != nil {
			// The table is compiled in; an inconsistency is a bug in
			// opcodes.csv caught by every test run.
			panic(err)
		}
		tables[m] = t
	}
}

func buildTable(m cpu.Model) (*opTable, error) {
	t := &opTable{}
	exact := [512][9]bool{} // [slot][reg+1]: set by an exact (not +r) row
	groupIdx := map[int]int{}
	for _, r := range slotRows {
		if m < r.Min || m > r.Max {
			continue
		}
		for k := 0; k < int(r.Count); k++ {
			i := int(r.Opcode) + k
			if r.TwoByte {
				i += 256
			}
			if exact[i][r.Reg+1] && r.Count > 1 {
				continue // an exact row for this byte wins over +r/+cc
			}
			if r.Count == 1 {
				if exact[i][r.Reg+1] {
					return nil, fmt.Errorf("decode: model %v: two rows for slot %#x/%d", m, i, r.Reg)
				}
				exact[i][r.Reg+1] = true
			}
			s := &t.slots[i]
			info := r.Op.Info()
			if r.Reg < 0 {
				s.op = r.Op
				s.group = nil
				s.modrm = info.Flags&FlagModRM != 0
				continue
			}
			gi, ok := groupIdx[i]
			if !ok {
				t.groups = append(t.groups, [8]Op{})
				gi = len(t.groups) - 1
				groupIdx[i] = gi
			}
			t.groups[gi][r.Reg] = r.Op
			s.modrm = true
			s.op = Invalid
		}
	}
	for i, gi := range groupIdx {
		t.slots[i].group = &t.groups[gi]
	}
	return t, nil
}
