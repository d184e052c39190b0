package interp

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/cputest"
)

func TestDbgFiles(t *testing.T) {
	spec := os.Getenv("DBG")
	if spec == "" {
		t.Skip()
	}
	m := cpu.Model286
	if os.Getenv("DBGM") == "8086" {
		m = cpu.Model8086
	}
	files := strings.Split(spec, ",")
	sum, err := cputest.Run(files, m, newEngine, cputest.Options{MaxFailures: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sum.Files {
		fmt.Println(f.Key, f.Passed, f.Total)
		for _, c := range f.Failures {
			fmt.Println(c.String())
		}
	}
}

func TestDbgOne(t *testing.T) {
	path := os.Getenv("DBGF")
	if path == "" {
		t.Skip()
	}
	f, err := cputest.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var idx int
	fmt.Sscan(os.Getenv("DBGI"), &idx)
	tt := f.Tests[idx]
	fmt.Printf("%s % x exc=%+v\n", tt.Name, tt.Bytes, tt.Exception)
	for r := cputest.Reg(0); r < cputest.NumRegs; r++ {
		fmt.Printf("%s=%04x->%04x ", r, tt.Init.Regs.V[r], tt.Want(r))
	}
	fmt.Println()
	for _, b := range tt.Init.RAM {
		fmt.Printf("%05x:%02x ", b.Addr, b.Val)
	}
	fmt.Println()
	for _, b := range tt.Final.RAM {
		fmt.Printf("%05x:%02x ", b.Addr, b.Val)
	}
	fmt.Println()
}

func TestDbgDiv(t *testing.T) {
	path := os.Getenv("DBGDIV")
	if path == "" {
		t.Skip()
	}
	f, _ := cputest.LoadFile(path)
	for _, tt := range f.Tests {
		if tt.Exception == nil {
			continue
		}
		var pushed uint16
		for _, b := range tt.Final.RAM {
			if b.Addr == tt.Exception.FlagsAddr {
				pushed |= uint16(b.Val)
			}
			if b.Addr == tt.Exception.FlagsAddr+1 {
				pushed |= uint16(b.Val) << 8
			}
		}
		fmt.Printf("%-22s ax=%04x dx=%04x bx=%04x cx=%04x in=%03x out=%03x\n", tt.Name, tt.Init.Regs.V[0], tt.Init.Regs.V[3], tt.Init.Regs.V[1], tt.Init.Regs.V[2], tt.Init.Regs.V[13]&0xfd5, pushed&0xfd5)
	}
}
