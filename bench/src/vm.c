/* vm: a tiny stack-machine bytecode interpreter with switch dispatch running
 * a Collatz-length program.  Exercises br_table-style dispatch and
 * unpredictable indirect branches (an interpreter inside the interpreter). */
#include "bench.h"

#ifndef VM_LIMIT
#define VM_LIMIT 28000
#endif
BENCH_PARAM(vm_limit, VM_LIMIT);

enum vm_op {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIVU, OP_AND,
    OP_EQ, OP_LTU, OP_JMP, OP_JZ, OP_JNZ, OP_DUP, OP_DROP,
};

enum vm_reg { R_N, R_X, R_STEPS, R_TOTAL, R_LIMIT, R_COUNT };

/*
 * total = 0
 * for n = 1; n < limit; n++:
 *     x = n
 *     while x != 1: x = (x & 1) ? 3x + 1 : x / 2; total++
 */
static const int32_t program[] = {
    /*  0 */ OP_PUSH, 1, OP_STORE, R_N,
    /*  4 loop_n: */ OP_LOAD, R_N, OP_LOAD, R_LIMIT, OP_LTU, OP_JZ, 57,
    /* 11 */ OP_LOAD, R_N, OP_STORE, R_X,
    /* 15 loop_x: */ OP_LOAD, R_X, OP_PUSH, 1, OP_EQ, OP_JNZ, 48,
    /* 22 */ OP_LOAD, R_X, OP_PUSH, 1, OP_AND, OP_JZ, 39,
    /* 29 odd: */ OP_LOAD, R_X, OP_PUSH, 3, OP_MUL, OP_PUSH, 1, OP_ADD, OP_JMP, 44,
    /* 39 even: */ OP_LOAD, R_X, OP_PUSH, 2, OP_DIVU,
    /* 44 store_x: */ OP_STORE, R_X, OP_JMP, 61,
    /* 48 next_n: */ OP_LOAD, R_N, OP_PUSH, 1, OP_ADD, OP_STORE, R_N, OP_JMP, 4,
    /* 57 done: */ OP_LOAD, R_TOTAL, OP_HALT, OP_HALT,
    /* 61 count_step: */ OP_LOAD, R_TOTAL, OP_PUSH, 1, OP_ADD, OP_STORE, R_TOTAL, OP_JMP, 15,
};

static uint32_t execute(const int32_t *code, uint32_t *regs)
{
    uint32_t stack[64];
    uint32_t sp = 0;
    uint32_t pc = 0;
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_HALT: return sp ? stack[sp - 1] : 0;
        case OP_PUSH: stack[sp++] = (uint32_t)code[pc++]; break;
        case OP_LOAD: stack[sp++] = regs[code[pc++]]; break;
        case OP_STORE: regs[code[pc++]] = stack[--sp]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DIVU: sp--; stack[sp - 1] /= stack[sp]; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_LTU: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_JMP: pc = (uint32_t)code[pc]; break;
        case OP_JZ: pc = stack[--sp] ? pc + 1 : (uint32_t)code[pc]; break;
        case OP_JNZ: pc = stack[--sp] ? (uint32_t)code[pc] : pc + 1; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_DROP: sp--; break;
        default: return 0xdeadu;
        }
    }
}

/* The same computation in plain C, to check the bytecode program. */
static uint32_t collatz_total(uint32_t limit)
{
    uint32_t total = 0;
    for (uint32_t n = 1; n < limit; n++)
        for (uint32_t x = n; x != 1; total++)
            x = (x & 1) ? 3 * x + 1 : x / 2;
    return total;
}

int run(void)
{
    uint32_t regs[R_COUNT] = {0};
    uint32_t limit = (uint32_t)vm_limit;
    regs[R_LIMIT] = limit;
    uint32_t total = execute(program, regs);
    uint32_t hash = bench_mix(2166136261u, total);
    hash = bench_mix(hash, regs[R_N]);
    hash = bench_mix(hash, total == collatz_total(limit));
    return bench_result(hash);
}
