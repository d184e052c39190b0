package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// handler executes one decoded instruction. EIP already points past it.
type handler func(c *CPU, in *decode.Inst)

// handlers maps every Op of the opcode table to its implementation; the
// test TestEveryOpHasHandler keeps it complete.
var handlers [decode.NumOps]handler

func init() {
	h := &handlers
	h[decode.Invalid] = ud
	for _, op := range []decode.Op{decode.ADD_EbGb, decode.OR_EbGb, decode.ADC_EbGb, decode.SBB_EbGb, decode.AND_EbGb, decode.SUB_EbGb, decode.XOR_EbGb, decode.CMP_EbGb} {
		h[op] = aluEbGb
	}
	for _, op := range []decode.Op{decode.ADD_EvGv, decode.OR_EvGv, decode.ADC_EvGv, decode.SBB_EvGv, decode.AND_EvGv, decode.SUB_EvGv, decode.XOR_EvGv, decode.CMP_EvGv} {
		h[op] = aluEvGv
	}
	for _, op := range []decode.Op{decode.ADD_GbEb, decode.OR_GbEb, decode.ADC_GbEb, decode.SBB_GbEb, decode.AND_GbEb, decode.SUB_GbEb, decode.XOR_GbEb, decode.CMP_GbEb} {
		h[op] = aluGbEb
	}
	for _, op := range []decode.Op{decode.ADD_GvEv, decode.OR_GvEv, decode.ADC_GvEv, decode.SBB_GvEv, decode.AND_GvEv, decode.SUB_GvEv, decode.XOR_GvEv, decode.CMP_GvEv} {
		h[op] = aluGvEv
	}
	for _, op := range []decode.Op{decode.ADD_ALIb, decode.OR_ALIb, decode.ADC_ALIb, decode.SBB_ALIb, decode.AND_ALIb, decode.SUB_ALIb, decode.XOR_ALIb, decode.CMP_ALIb} {
		h[op] = aluALIb
	}
	for _, op := range []decode.Op{decode.ADD_eAXIz, decode.OR_eAXIz, decode.ADC_eAXIz, decode.SBB_eAXIz, decode.AND_eAXIz, decode.SUB_eAXIz, decode.XOR_eAXIz, decode.CMP_eAXIz} {
		h[op] = aluEAXIz
	}
	for _, op := range []decode.Op{decode.ADD_EbIb, decode.OR_EbIb, decode.ADC_EbIb, decode.SBB_EbIb, decode.AND_EbIb, decode.SUB_EbIb, decode.XOR_EbIb, decode.CMP_EbIb} {
		h[op] = grp1Eb
	}
	for _, op := range []decode.Op{decode.ADD_EvIz, decode.OR_EvIz, decode.ADC_EvIz, decode.SBB_EvIz, decode.AND_EvIz, decode.SUB_EvIz, decode.XOR_EvIz, decode.CMP_EvIz,
		decode.ADD_EvIbs, decode.OR_EvIbs, decode.ADC_EvIbs, decode.SBB_EvIbs, decode.AND_EvIbs, decode.SUB_EvIbs, decode.XOR_EvIbs, decode.CMP_EvIbs} {
		h[op] = grp1Ev
	}
	segOps := []struct {
		push, pop decode.Op
		seg       int
	}{{decode.PUSH_ES, decode.POP_ES, cpu.ES}, {decode.PUSH_SS, decode.POP_SS, cpu.SS}, {decode.PUSH_DS, decode.POP_DS, cpu.DS},
		{decode.PUSH_FS, decode.POP_FS, cpu.FS}, {decode.PUSH_GS, decode.POP_GS, cpu.GS}}
	for _, s := range segOps {
		h[s.push] = pushSeg(s.seg)
		h[s.pop] = popSeg(s.seg)
	}
	h[decode.PUSH_CS] = pushSeg(cpu.CS)
	h[decode.POP_CS] = popCS
	h[decode.DAA], h[decode.DAS], h[decode.AAA], h[decode.AAS] = daa, das, aaa, aas
	h[decode.INC_Zv], h[decode.DEC_Zv] = incZv, decZv
	h[decode.PUSH_Zv], h[decode.POP_Zv] = pushZv, popZv
	h[decode.PUSHA], h[decode.POPA] = pusha, popa
	h[decode.BOUND_GvMa] = bound
	h[decode.ARPL_EwGw] = arpl
	h[decode.JccAlias_Jb], h[decode.Jcc_Jb], h[decode.Jcc_Jz] = jcc, jcc, jcc
	h[decode.PUSH_Iz], h[decode.PUSH_Ibs] = pushIz, pushIz
	h[decode.IMUL_GvEvIz], h[decode.IMUL_GvEvIbs], h[decode.IMUL_GvEv] = imulGvEvI, imulGvEvI, imulGvEv
	h[decode.INSB], h[decode.INSW], h[decode.OUTSB], h[decode.OUTSW] = insH, insH, outsH, outsH
	h[decode.TEST_EbGb], h[decode.TEST_EvGv] = testEbGb, testEvGv
	h[decode.XCHG_EbGb], h[decode.XCHG_EvGv] = xchgEbGb, xchgEvGv
	h[decode.MOV_EbGb], h[decode.MOV_EvGv], h[decode.MOV_GbEb], h[decode.MOV_GvEv] = movEbGb, movEvGv, movGbEb, movGvEv
	h[decode.MOV_EvSw], h[decode.MOV_SwEw] = movEvSw, movSwEw
	h[decode.LEA_GvM] = lea
	h[decode.POP_Ev] = popEv
	h[decode.NOP], h[decode.NOP_Ev] = nop, nop
	h[decode.XCHG_ZveAX] = xchgZvEAX
	h[decode.CBW], h[decode.CWD] = cbw, cwd
	h[decode.CALLF_Ap], h[decode.JMPF_Ap] = callFarAp, jmpFarAp
	h[decode.WAIT] = wait
	h[decode.PUSHF], h[decode.POPF] = pushf, popf
	h[decode.SAHF], h[decode.LAHF] = sahf, lahf
	h[decode.MOV_ALOb], h[decode.MOV_eAXOv], h[decode.MOV_ObAL], h[decode.MOV_OveAX] = movALOb, movEAXOv, movObAL, movOvEAX
	h[decode.MOVSB], h[decode.MOVSW], h[decode.CMPSB], h[decode.CMPSW] = movsH, movsH, cmpsH, cmpsH
	h[decode.STOSB], h[decode.STOSW], h[decode.LODSB], h[decode.LODSW] = stosH, stosH, lodsH, lodsH
	h[decode.SCASB], h[decode.SCASW] = scasH, scasH
	h[decode.TEST_ALIb], h[decode.TEST_eAXIz] = testALIb, testEAXIz
	h[decode.MOV_ZbIb], h[decode.MOV_ZvIz] = movZbIb, movZvIz
	for _, op := range []decode.Op{decode.ROL_EbIb, decode.ROR_EbIb, decode.RCL_EbIb, decode.RCR_EbIb, decode.SHL_EbIb, decode.SHR_EbIb, decode.SAL_EbIb, decode.SAR_EbIb,
		decode.ROL_Eb1, decode.ROR_Eb1, decode.RCL_Eb1, decode.RCR_Eb1, decode.SHL_Eb1, decode.SHR_Eb1, decode.SAL_Eb1, decode.SAR_Eb1,
		decode.ROL_EbCL, decode.ROR_EbCL, decode.RCL_EbCL, decode.RCR_EbCL, decode.SHL_EbCL, decode.SHR_EbCL, decode.SAL_EbCL, decode.SAR_EbCL} {
		h[op] = grp2Eb
	}
	for _, op := range []decode.Op{decode.ROL_EvIb, decode.ROR_EvIb, decode.RCL_EvIb, decode.RCR_EvIb, decode.SHL_EvIb, decode.SHR_EvIb, decode.SAL_EvIb, decode.SAR_EvIb,
		decode.ROL_Ev1, decode.ROR_Ev1, decode.RCL_Ev1, decode.RCR_Ev1, decode.SHL_Ev1, decode.SHR_Ev1, decode.SAL_Ev1, decode.SAR_Ev1,
		decode.ROL_EvCL, decode.ROR_EvCL, decode.RCL_EvCL, decode.RCR_EvCL, decode.SHL_EvCL, decode.SHR_EvCL, decode.SAL_EvCL, decode.SAR_EvCL} {
		h[op] = grp2Ev
	}
	h[decode.SETMO_Eb1], h[decode.SETMOC_EbCL] = setmoEb, setmoEb
	h[decode.SETMO_Ev1], h[decode.SETMOC_EvCL] = setmoEv, setmoEv
	h[decode.RET_Iw], h[decode.RET] = retNear, retNear
	h[decode.RETF_Iw], h[decode.RETF] = retFar, retFar
	h[decode.LES_GvMp], h[decode.LDS_GvMp] = loadFar(cpu.ES), loadFar(cpu.DS)
	h[decode.LSS_GvMp], h[decode.LFS_GvMp], h[decode.LGS_GvMp] = loadFar(cpu.SS), loadFar(cpu.FS), loadFar(cpu.GS)
	h[decode.MOV_EbIb], h[decode.MOV_EvIz] = movEbIb, movEvIz
	h[decode.ENTER_IwIb], h[decode.LEAVE] = enter, leave
	h[decode.INT3], h[decode.INT_Ib], h[decode.INTO], h[decode.IRET], h[decode.INT1] = int3, intIb, into, iret, int1
	h[decode.AAM_Ib], h[decode.AAD_Ib], h[decode.SALC], h[decode.XLAT] = aam, aad, salc, xlat
	h[decode.ESC_Ex] = esc
	h[decode.LOOPNE_Jb], h[decode.LOOPE_Jb], h[decode.LOOP_Jb], h[decode.JCXZ_Jb] = loopne, loope, loop, jcxz
	h[decode.IN_ALIb], h[decode.IN_eAXIb], h[decode.OUT_IbAL], h[decode.OUT_IbeAX] = inALIb, inEAXIb, outIbAL, outIbEAX
	h[decode.IN_ALDX], h[decode.IN_eAXDX], h[decode.OUT_DXAL], h[decode.OUT_DXeAX] = inALDX, inEAXDX, outDXAL, outDXEAX
	h[decode.CALL_Jz], h[decode.JMP_Jz], h[decode.JMP_Jb] = callRel, jmpRel, jmpRel
	h[decode.HLT], h[decode.CMC] = hlt, cmc
	h[decode.TEST_EbIb], h[decode.NOT_Eb], h[decode.NEG_Eb], h[decode.MUL_Eb], h[decode.IMUL_Eb], h[decode.DIV_Eb], h[decode.IDIV_Eb] =
		testEbIb, notEb, negEb, mulEb, imulEb, divEb, idivEb
	h[decode.TEST_EvIz], h[decode.NOT_Ev], h[decode.NEG_Ev], h[decode.MUL_Ev], h[decode.IMUL_Ev], h[decode.DIV_Ev], h[decode.IDIV_Ev] =
		testEvIz, notEv, negEv, mulEv, imulEv, divEv, idivEv
	h[decode.CLC], h[decode.STC], h[decode.CLI], h[decode.STI], h[decode.CLD], h[decode.STD] = clc, stc, cli, sti, cld, std
	h[decode.INC_Eb], h[decode.DEC_Eb], h[decode.INC_Ev], h[decode.DEC_Ev] = incdecEb, incdecEb, incdecEv, incdecEv
	h[decode.CALL_Eb], h[decode.JMP_Eb], h[decode.CALLF_Eb], h[decode.JMPF_Eb], h[decode.PUSH_Eb] = callEb, jmpEb, callFarMp, jmpFarMp, pushEb
	h[decode.CALL_Ev], h[decode.CALLF_Mp], h[decode.JMP_Ev], h[decode.JMPF_Mp], h[decode.PUSH_Ev] = callEv, callFarMp, jmpEv, jmpFarMp, pushEv
	h[decode.SLDT_Ew], h[decode.STR_Ew], h[decode.LLDT_Ew], h[decode.LTR_Ew] = sldt, str, lldt, ltr
	h[decode.VERR_Ew], h[decode.VERW_Ew], h[decode.LAR_GvEw], h[decode.LSL_GvEw] = verr, verw, lar, lsl
	h[decode.SGDT_Ms], h[decode.SIDT_Ms], h[decode.LGDT_Ms], h[decode.LIDT_Ms] = sgdt, sidt, lgdt, lidt
	h[decode.SMSW_Ew], h[decode.LMSW_Ew], h[decode.CLTS] = smsw, lmsw, clts
	h[decode.INVLPG_M], h[decode.INVD], h[decode.WBINVD] = invlpg, invd, invd
	h[decode.LOADALL], h[decode.UD2] = loadall286, ud
	h[decode.MOV_RdCd], h[decode.MOV_CdRd], h[decode.MOV_RdDd], h[decode.MOV_DdRd] = movRdCd, movCdRd, movRdDd, movDdRd
	h[decode.MOV_RdTd], h[decode.MOV_TdRd] = movRdTd, movTdRd
	h[decode.WRMSR], h[decode.RDTSC], h[decode.RDMSR], h[decode.RDPMC] = wrmsr, rdtsc, rdmsr, rdpmc
	h[decode.SYSENTER], h[decode.SYSEXIT], h[decode.CPUID] = sysenter, sysexit, cpuid
	h[decode.CMOVcc_GvEv], h[decode.SETcc_Eb] = cmovcc, setcc
	h[decode.BT_EvGv], h[decode.BTS_EvGv], h[decode.BTR_EvGv], h[decode.BTC_EvGv] = btEvGv, btsEvGv, btrEvGv, btcEvGv
	h[decode.BT_EvIb], h[decode.BTS_EvIb], h[decode.BTR_EvIb], h[decode.BTC_EvIb] = btEvIb, btEvIb, btEvIb, btEvIb
	h[decode.SHLD_EvGvIb], h[decode.SHLD_EvGvCL], h[decode.SHRD_EvGvIb], h[decode.SHRD_EvGvCL] = shldIb, shldCL, shrdIb, shrdCL
	h[decode.CMPXCHG_EbGb], h[decode.CMPXCHG_EvGv], h[decode.CMPXCHG8B_Mq] = cmpxchgEbGb, cmpxchgEvGv, cmpxchg8b
	h[decode.MOVZX_GvEb], h[decode.MOVZX_GvEw], h[decode.MOVSX_GvEb], h[decode.MOVSX_GvEw] = movzxGvEb, movzxGvEw, movsxGvEb, movsxGvEw
	h[decode.BSF_GvEv], h[decode.BSR_GvEv] = bsf, bsr
	h[decode.XADD_EbGb], h[decode.XADD_EvGv] = xaddEbGb, xaddEvGv
	h[decode.BSWAP_Zd] = bswap
	// Prefix Ops never reach dispatch: the decoder consumes them.
	for op := decode.Op(0); op < decode.NumOps; op++ {
		if h[op] == nil && op.Info().Flags&decode.FlagPrefix != 0 {
			h[op] = ud
		}
	}
}
