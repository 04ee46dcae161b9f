/*
 * Atomic accesses to guest memory (threads proposal).  Every wasm atomic is
 * sequentially consistent, so every helper here is __ATOMIC_SEQ_CST, done
 * directly on the guest's bytes with the compiler's __atomic builtins (no
 * lock anywhere: the host's lock-free 1/2/4/8-byte atomics on x86-64 and
 * aarch64).  Callers check alignment and bounds first; the address is then
 * naturally aligned inside the committed part of the memory.
 *
 * Little-endian hosts only, as the rest of the interpreter (a wasm value in
 * memory is then the host integer at that address).
 */
#ifndef WARD_ATOMIC_OPS_H
#define WARD_ATOMIC_OPS_H

#include <stdbool.h>
#include <stdint.h>

#define WATOMIC_ORDER __ATOMIC_SEQ_CST

/* Read-modify-write families, named as in the wasm opcodes; each returns
 * the value before the operation. */
#define WATOMIC_RMW_ADD(p, v) __atomic_fetch_add((p), (v), WATOMIC_ORDER)
#define WATOMIC_RMW_SUB(p, v) __atomic_fetch_sub((p), (v), WATOMIC_ORDER)
#define WATOMIC_RMW_AND(p, v) __atomic_fetch_and((p), (v), WATOMIC_ORDER)
#define WATOMIC_RMW_OR(p, v) __atomic_fetch_or((p), (v), WATOMIC_ORDER)
#define WATOMIC_RMW_XOR(p, v) __atomic_fetch_xor((p), (v), WATOMIC_ORDER)
#define WATOMIC_RMW_XCHG(p, v) __atomic_exchange_n((p), (v), WATOMIC_ORDER)

#define WATOMIC_LOAD(p) __atomic_load_n((p), WATOMIC_ORDER)
#define WATOMIC_STORE(p, v) __atomic_store_n((p), (v), WATOMIC_ORDER)

/* Compare-exchange that returns the value read (wasm's cmpxchg result),
 * whether or not the replacement was written.  Narrow forms compare the
 * expected value wrapped to the access width, as V8 and wasmtime do. */
#define WATOMIC_DEFINE_CMPXCHG(NAME, C)                                                           \
    static inline C NAME(C *p, C expected, C replacement)                                         \
    {                                                                                             \
        __atomic_compare_exchange_n(p, &expected, replacement, false, WATOMIC_ORDER, WATOMIC_ORDER); \
        return expected;                                                                          \
    }
WATOMIC_DEFINE_CMPXCHG(watomic_cmpxchg8, uint8_t)
WATOMIC_DEFINE_CMPXCHG(watomic_cmpxchg16, uint16_t)
WATOMIC_DEFINE_CMPXCHG(watomic_cmpxchg32, uint32_t)
WATOMIC_DEFINE_CMPXCHG(watomic_cmpxchg64, uint64_t)
#undef WATOMIC_DEFINE_CMPXCHG

#define WATOMIC_CMPXCHG(p, e, r)                                                                  \
    _Generic((p), uint8_t *: watomic_cmpxchg8, uint16_t *: watomic_cmpxchg16,                     \
             uint32_t *: watomic_cmpxchg32, uint64_t *: watomic_cmpxchg64)((p), (e), (r))

/* atomic.fence: a full barrier. */
#define WATOMIC_FENCE() __atomic_thread_fence(WATOMIC_ORDER)

#endif
