/*
 * IR listing for debugging and for docs/interpreter.md: one op per line
 * with its operand cells.  Names and sizes are generated from ir_ops.def.
 */
#include <inttypes.h>
#include <stdio.h>

#include "ir.h"

const char *const wir_names[WIR_COUNT] = {
#define IR_BINOP_RI(OP, T, R, ...) #OP "_RR", #OP "_RI",
#define IR_BR_I32(OP, ...)                                                                                   \
    "BR_" #OP "_RR", "BR_" #OP "_RI", "BRN_" #OP "_RR", "BRN_" #OP "_RI", "BRF_" #OP "_RR", "BRF_" #OP "_RI",  \
        "BRNF_" #OP "_RR", "BRNF_" #OP "_RI",
#define IR_CMP_I32(OP, ...) #OP "_RR", #OP "_RI", IR_BR_I32(OP, 0)
#define IR_BINOP_SH(OP, COMM, ...) #OP "_SL", #OP "_SR", #OP "_SRI",
#define IR_LOAD_OP(OP, T, LOAD, ...) #OP "_M",
#define IR_FCHAIN(T, TY, F, FOP, S, SOP) #T "_" #F "_" #S "_L", #T "_" #F "_" #S "_R",
#define IR_BINOP(OP, T, R, ...) #OP "_RR",
#define IR_UNOP(OP, T, R, ...) #OP,
#define IR_LOAD(OP, C, R) #OP, #OP "_A", #OP "_K", #OP "_R", #OP "_X", #OP "_S", #OP "_N", #OP "_W",
#define IR_STORE(OP, T, C) #OP, #OP "_I", #OP "_K", #OP "_R", #OP "_X", #OP "_A", #OP "_AI", #OP "_S", #OP "_N", #OP "_W",
#define IR_OP(NAME, NOPS) #NAME,
#include "ir_ops.def"
};

const uint8_t wir_nops[WIR_COUNT] = {
#define IR_BINOP_RI(OP, T, R, ...) 2, 2,
#define IR_BR_I32(OP, ...) 2, 2, 2, 2, 2, 2, 2, 2,
#define IR_CMP_I32(OP, ...) 2, 2, IR_BR_I32(OP, 0)
#define IR_BINOP_SH(OP, COMM, ...) 2, 2, 2,
#define IR_LOAD_OP(OP, T, LOAD, ...) 3,
#define IR_FCHAIN(T, TY, F, FOP, S, SOP) 2, 2,
#define IR_BINOP(OP, T, R, ...) 2,
#define IR_UNOP(OP, T, R, ...) 1,
#define IR_LOAD(OP, C, R) 2, 3, 2, 3, 3, 3, 3, 2,
#define IR_STORE(OP, T, C) 2, 2, 2, 3, 3, 3, 3, 3, 3, 2,
#define IR_OP(NAME, NOPS) NOPS,
#include "ir_ops.def"
};

static wir op_of_cell(const wcell *c, const void *const *handlers)
{
    if (!handlers)
        return (wir)c->op;
    for (int i = 0; i < WIR_COUNT; i++)
        if (handlers[i] == c->handler)
            return (wir)i;
    return WIR_COUNT;
}

void wir_dump(const wcompiled_func *fn, int variant, FILE *out)
{
    const wvariant *v = wcompiled_variant(fn, variant);
    const void *const *handlers = wexec_handlers();
    fprintf(out, "function %" PRIu32 " (variant %d): %" PRIu32 " local slots, frame %" PRIu32 "\n",
            fn->func_index, variant, fn->nlocal_slots, v ? v->frame_slots : 0);
    if (!v) {
        fprintf(out, "  (out of memory)\n");
        return;
    }
    size_t pos = 0;
    while (pos < v->ncells) {
        wir op = op_of_cell(&v->code[pos], handlers);
        if (op == WIR_COUNT) {
            fprintf(out, "%5zu  ??\n", pos);
            return;
        }
        size_t n = wir_nops[op];
        if (op == WIR_BR_TABLE)
            n += (size_t)v->code[pos + 1].s.b + 1;
        fprintf(out, "%5zu  %-22s", pos, wir_names[op]);
        for (size_t i = 1; i <= n && pos + i < v->ncells; i++)
            fprintf(out, " [%" PRIu32 ",%" PRIu32 "]", v->code[pos + i].s.a, v->code[pos + i].s.b);
        fputc('\n', out);
        pos += n + 1;
    }
}
