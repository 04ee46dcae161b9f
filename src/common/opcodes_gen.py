#!/usr/bin/env python3
"""The tables meson derives from ward's opcode table at build time.

    opcodes_gen.py sigs OUT DEF...   the validator's parsed signatures
                                     (src/validator/validate_sig.c includes OUT)
    opcodes_gen.py simd-ir OUT DEF   one IR op per non-memory SIMD instruction
                                     (src/interp/ir_ops_simd.def includes OUT)
    opcodes_gen.py names OUT DEF...  every text name with its opcode, sorted
                                     as strcmp orders them (src/text/instr.c)

DEF are the opcodes*.def files; their format is described at the top of
src/common/opcodes.def.  Nothing here knows an opcode by name: every fact
comes from a row's columns, so adding an instruction is still one row.
"""
import re
import sys

COLUMNS = ("ident", "prefix", "code", "name", "imm", "sig", "fuel", "feature", "access", "lanes", "flags")
ROW = re.compile(r"^OP\((.*)\)\s*(/\*.*)?$")
SIG_TYPES = {"i": "WT_I32", "I": "WT_I64", "f": "WT_F32", "F": "WT_F64", "v": "WT_V128"}
SIG_MAX_TYPES = 8  # WSIG_MAX_TYPES of src/validator/validate_internal.h


def fail(where, message):
    sys.exit("%s: %s" % (where, message))


def read_rows(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                m = ROW.match(line.strip())
                if not m:
                    continue
                cells = [c.strip() for c in m.group(1).split(",")]
                if len(cells) != len(COLUMNS):
                    fail("%s:%d" % (path, number), "%d columns, expected %d" % (len(cells), len(COLUMNS)))
                row = dict(zip(COLUMNS, cells))
                row["name"] = row["name"].strip('"')
                row["sig"] = None if row["sig"] == "NULL" else row["sig"].strip('"')
                row["where"] = "%s:%d" % (path, number)
                rows.append(row)
    return rows


def parse_sig(row):
    """"ii:i" -> (params, results) as lists of WT_ names."""
    sig = row["sig"]
    if sig.count(":") != 1:
        fail(row["where"], "signature %r needs one ':'" % sig)
    params, results = sig.split(":")
    if len(params) + len(results) > SIG_MAX_TYPES:
        fail(row["where"], "signature %r has more than %d types" % (sig, SIG_MAX_TYPES))
    for c in params + results:
        if c not in SIG_TYPES:
            fail(row["where"], "unknown type %r in signature %r" % (c, sig))
    return [SIG_TYPES[c] for c in params], [SIG_TYPES[c] for c in results]


def access_log2(row):
    size = int(row["access"])
    if size & (size - 1):
        fail(row["where"], "access size %d is not a power of two" % size)
    return size.bit_length() - 1 if size else 0


def gen_sigs(rows):
    out = []
    for row in rows:
        fields = []
        if row["sig"] is not None:
            params, results = parse_sig(row)
            fields += [".nparams = %d" % len(params), ".nresults = %d" % len(results),
                       ".types = {%s}" % ", ".join(params + results), ".valid = true"]
        if int(row["access"]):
            fields.append(".access_log2 = %d" % access_log2(row))
        if int(row["lanes"]):
            fields.append(".lanes = %s" % row["lanes"])
        if fields:
            out.append("[WOP_%s] = {%s}," % (row["ident"], ", ".join(fields)))
    return out


def simd_shape(row):
    """The SIMD_* shape macro of ir_ops_simd.def for a non-memory SIMD row."""
    e, imm, sig = row["ident"], row["imm"], row["sig"] or ""
    fn = row["name"].replace(".", "_")
    if imm == "SHUFFLE":
        return "SIMD_SHUFFLE(%s, %s)" % (e, fn)
    simple = {"v:v": "SIMD_UN", "vv:v": "SIMD_BIN", "vvv:v": "SIMD_TERN"}
    if sig in simple:
        return "%s(%s, %s)" % (simple[sig], e, fn)
    if sig == "vi:v" and imm == "NONE":
        return "SIMD_SHIFT(%s, %s)" % (e, fn)
    if re.fullmatch(r".:v", sig):
        return "SIMD_SPLAT(%s, %s, %s)" % (e, fn, sig[0])
    if sig == "v:i" and imm == "NONE":
        return "SIMD_TEST(%s, %s)" % (e, fn)
    if imm == "LANE" and sig.startswith("v:"):
        return "SIMD_EXTRACT(%s, %s, %s)" % (e, fn, sig[2])
    if imm == "LANE":
        return "SIMD_REPLACE(%s, %s, %s)" % (e, fn, sig[1])
    fail(row["where"], "no SIMD IR shape for %s %s" % (imm, sig))


def gen_simd_ir(rows):
    # memory instructions and v128.const have hand-written IR ops
    return [simd_shape(r) for r in rows if r["imm"] not in ("MEMARG", "MEMARG_LANE", "V128")]


def gen_names(rows):
    # strcmp order; a name two opcodes share (select) keeps table order
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["name"].encode(), i))
    return ['{"%s", WOP_%s},' % (rows[i]["name"], rows[i]["ident"]) for i in order]


GENERATORS = {"sigs": gen_sigs, "simd-ir": gen_simd_ir, "names": gen_names}


def main(argv):
    if len(argv) < 4 or argv[1] not in GENERATORS:
        sys.exit(__doc__)
    lines = GENERATORS[argv[1]](read_rows(argv[3:]))
    header = "/* Generated by src/common/opcodes_gen.py from %s: do not edit. */" % " ".join(
        p.split("/")[-1] for p in argv[3:])
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write("\n".join([header] + lines) + "\n")


if __name__ == "__main__":
    main(sys.argv)
