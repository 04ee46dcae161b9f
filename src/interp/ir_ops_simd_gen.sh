#!/bin/sh
# Regenerate the generated part of ir_ops_simd.def from the SIMD opcode table:
#   src/interp/ir_ops_simd_gen.sh > /tmp/gen && splice it between the markers.
# Every non-memory SIMD instruction becomes one IR op whose handler calls the
# wsimd_ function of the same name (src/simd/simd.h); the shape macro says how
# operands are laid out.
awk -F, '/^OP\(/ {
    e = $1; sub(/^OP\(/, "", e); gsub(/ /, "", e)
    n = $4; gsub(/[ "]/, "", n); fn = n; gsub(/\./, "_", fn)
    imm = $5; gsub(/ /, "", imm)
    sig = $6; gsub(/[ "]/, "", sig)
    if (imm == "MEMARG" || imm == "MEMARG_LANE" || imm == "V128") next
    if (imm == "SHUFFLE") m = "SIMD_SHUFFLE(" e ", " fn ")"
    else if (sig == "v:v") m = "SIMD_UN(" e ", " fn ")"
    else if (sig == "vv:v") m = "SIMD_BIN(" e ", " fn ")"
    else if (sig == "vvv:v") m = "SIMD_TERN(" e ", " fn ")"
    else if (sig == "vi:v" && imm == "NONE") m = "SIMD_SHIFT(" e ", " fn ")"
    else if (sig ~ /^.:v$/) m = "SIMD_SPLAT(" e ", " fn ", " substr(sig, 1, 1) ")"
    else if (sig == "v:i" && imm == "NONE") m = "SIMD_TEST(" e ", " fn ")"
    else if (imm == "LANE" && sig ~ /^v:/) m = "SIMD_EXTRACT(" e ", " fn ", " substr(sig, 3, 1) ")"
    else if (imm == "LANE") m = "SIMD_REPLACE(" e ", " fn ", " substr(sig, 2, 1) ")"
    else { print "unknown shape: " $0 > "/dev/stderr"; exit 1 }
    print m
}' "$(dirname "$0")/../common/opcodes_simd.def"
