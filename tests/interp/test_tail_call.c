/*
 * Tail calls (return_call, return_call_indirect; docs/interpreter.md): the
 * callee takes the caller's frame, so unbounded tail recursion runs in
 * constant frame space (with fuel off and on, and at the frame limit);
 * arguments (v128 too, and ones overlapping the frame's base) move down to
 * the frame's base; host and other-instance callees; the call_indirect
 * traps; exact fuel on the metered and the step code, with every stop's
 * function, offset and backtrace; with exception handling, a tail call
 * leaves the try around it.
 *
 * tail_wasm is wat2wasm --enable-tail-call of:
 *   (module
 *     (import "env" "add100" (func $add100 (param i32) (result i32)))
 *     (import "a" "peek" (func $peek (param i32) (result i32)))
 *     (type $ii (func (param i64 i64) (result i64)))
 *     (type $i (func (param i32) (result i32)))
 *     (memory 1)
 *     (data (i32.const 0) "\05")
 *     (table 4 funcref)
 *     (elem (i32.const 0) $even $odd $count)
 *     (func $even (export "even") (param i64 i64) (result i64)
 *       (if (result i64) (i64.eqz (local.get 0))
 *         (then (local.get 1))
 *         (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))
 *                                 (i64.add (local.get 1) (i64.const 1))))))
 *     (func $odd (param i64 i64) (result i64)
 *       (if (result i64) (i64.eqz (local.get 0))
 *         (then (i64.sub (i64.const 0) (local.get 1)))
 *         (else (return_call_indirect (type $ii) (i64.sub (local.get 0) (i64.const 1))
 *                                     (local.get 1) (i32.const 0)))))
 *     (func $count (export "count") (param i32) (result i32)
 *       (if (result i32) (i32.eqz (local.get 0))
 *         (then (i32.const 7))
 *         (else (return_call $count (i32.sub (local.get 0) (i32.const 1))))))
 *     (func $v (param i32 v128 i32) (result i32) (local i64)
 *       (i32.add (i32.add (i32x4.extract_lane 3 (local.get 1)) (local.get 2)) (local.get 0)))
 *     (func (export "vector") (param i32) (result i32) (local i32 i32 i32)
 *       (return_call $v (i32.const 1000) (v128.const i32x4 1 2 3 40) (local.get 0)))
 *     (func (export "host") (param i32) (result i32)
 *       (return_call $add100 (i32.add (local.get 0) (i32.const 1))))
 *     (func (export "other") (result i32)
 *       (return_call $peek (i32.const 0)))
 *     (func (export "indirect") (param i32) (result i32)
 *       (return_call_indirect (type $i) (i32.const 3) (local.get 0))))
 * steps_wasm is wat2wasm --enable-tail-call of (function indices in the
 * fuel traces below; offsets from wasm-objdump -d):
 *   (module
 *     (import "env" "add100" (func $add100 (param i32) (result i32)))
 *     (import "a" "peek" (func $peek (param i32) (result i32)))
 *     (type $i (func (param i32) (result i32)))
 *     (table 1 funcref)
 *     (elem (i32.const 0) $down)
 *     (func $down (param i32) (result i32)
 *       (if (result i32) (local.get 0)
 *         (then (return_call_indirect (type $i) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))
 *         (else (i32.const 9))))
 *     (func (export "ind") (param i32) (result i32)
 *       (return_call_indirect (type $i) (local.get 0) (i32.const 0)))
 *     (func $wrap (param i32) (result i32)
 *       (return_call $add100 (local.get 0)))
 *     (func (export "host") (param i32) (result i32)
 *       (i32.add (call $wrap (local.get 0)) (i32.const 1)))
 *     (func $peekw (result i32)
 *       (return_call $peek (i32.const 0)))
 *     (func (export "other") (result i32)
 *       (i32.add (call $peekw) (i32.const 1)))
 *     (func $boom (param i32 i32) (result i32)
 *       (i32.div_u (local.get 0) (local.get 1)))
 *     (func $mid (param i32) (result i32)
 *       (return_call $boom (i32.const 1) (local.get 0)))
 *     (func (export "trap") (param i32) (result i32)
 *       (i32.add (call $mid (local.get 0)) (i32.const 0)))
 *     (func $rot (param i64 i32 i64 i32 i64 i32) (result i64)
 *       (if (result i64) (local.get 5)
 *         (then (return_call $rot (i64.extend_i32_u (local.get 1)) (i32.wrap_i64 (local.get 2))
 *                                 (i64.extend_i32_u (local.get 3)) (i32.wrap_i64 (local.get 4))
 *                                 (local.get 0) (i32.sub (local.get 5) (i32.const 1))))
 *         (else (i64.add (i64.mul (local.get 0) (i64.const 10000))
 *                        (i64.add (i64.mul (local.get 2) (i64.const 100)) (local.get 4))))))
 *     (func (export "rotate") (param i32) (result i64) (local i64 i64)
 *       (return_call $rot (i64.const 1) (i32.const 2) (i64.const 3) (i32.const 4) (i64.const 5) (local.get 0)))
 *     (func $deep (export "deep") (param i32) (result i32)
 *       (if (result i32) (local.get 0)
 *         (then (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
 *         (else (return_call $down (i32.const 3)))))
 *   )
 * eh_wasm is wat2wasm --enable-exceptions --enable-tail-call of:
 *   (module
 *     (tag $e (param i32))
 *     (type $t (func (param i32) (result i32)))
 *     (table funcref (elem $throw))
 *     (func $throw (param i32) (result i32) (throw $e (local.get 0)))
 *     (func (export "tail_in_try") (param i32) (result i32)
 *       (try (result i32) (do (return_call $throw (local.get 0))) (catch $e)))
 *     (func (export "indirect_in_try") (param i32) (result i32)
 *       (try (result i32) (do (return_call_indirect (type $t) (local.get 0) (i32.const 0))) (catch $e)))
 *     (func $mid (param i32) (result i32) (return_call $throw (local.get 0)))
 *     (func (export "caught_after_tail") (param i32) (result i32)
 *       (try (result i32) (do (call $mid (local.get 0))) (catch $e (i32.add (i32.const 1000)))))
 *     (func $again (param i32) (result i32)
 *       (try (result i32) (do (throw $e (i32.add (local.get 0) (i32.const 1))))
 *         (catch $e (i32.add (i32.const 10)))))
 *     (func (export "tail_from_catch") (param i32) (result i32)
 *       (try (result i32) (do (throw $e (local.get 0))) (catch $e (return_call $again))))
 *     (func $loop (param i32 i32) (result i32)
 *       (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))
 *         (else (try (result i32) (do (throw $e (local.get 1)))
 *                 (catch $e (local.set 1 (i32.add (i32.const 1)))
 *                           (return_call $loop (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))))))
 *     (func (export "catch_loop") (param i32) (result i32) (return_call $loop (local.get 0) (i32.const 0)))
 *     (func $rethrower (param i32) (result i32)
 *       (try (result i32) (do (throw $e (local.get 0)))
 *         (catch $e (drop (call $again (i32.const 5))) (rethrow 0))))
 *     (func (export "rethrow_after_tail") (param i32) (result i32)
 *       (try (result i32) (do (call $rethrower (local.get 0))) (catch $e (i32.add (i32.const 100)))))
 *   )
 * peek_wasm: (module (memory 1) (data (i32.const 0) "\2a")
 *              (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))
 */
#include <stdint.h>

#include "../test.h"
#include "interp/exec.h"
#include "ward.h"

static const uint8_t tail_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x17, 0x04, 0x60, 0x02, 0x7e, 0x7e, 0x01, 0x7e,
    0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x03, 0x7f, 0x7b, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x02,
    0x17, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x61, 0x64, 0x64, 0x31, 0x30, 0x30, 0x00, 0x01, 0x01, 0x61,
    0x04, 0x70, 0x65, 0x65, 0x6b, 0x00, 0x01, 0x03, 0x09, 0x08, 0x00, 0x00, 0x01, 0x02, 0x01, 0x01, 0x03,
    0x01, 0x04, 0x04, 0x01, 0x70, 0x00, 0x04, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x33, 0x06, 0x04, 0x65,
    0x76, 0x65, 0x6e, 0x00, 0x02, 0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x04, 0x06, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x00, 0x06, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x07, 0x05, 0x6f, 0x74, 0x68, 0x65,
    0x72, 0x00, 0x08, 0x08, 0x69, 0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x09, 0x09, 0x09, 0x01,
    0x00, 0x41, 0x00, 0x0b, 0x03, 0x02, 0x03, 0x04, 0x0a, 0x90, 0x01, 0x08, 0x17, 0x00, 0x20, 0x00, 0x50,
    0x04, 0x7e, 0x20, 0x01, 0x05, 0x20, 0x00, 0x42, 0x01, 0x7d, 0x20, 0x01, 0x42, 0x01, 0x7c, 0x12, 0x03,
    0x0b, 0x0b, 0x1a, 0x00, 0x20, 0x00, 0x50, 0x04, 0x7e, 0x42, 0x00, 0x20, 0x01, 0x7d, 0x05, 0x20, 0x00,
    0x42, 0x01, 0x7d, 0x20, 0x01, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0b, 0x0b, 0x12, 0x00, 0x20, 0x00, 0x45,
    0x04, 0x7f, 0x41, 0x07, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x12, 0x04, 0x0b, 0x0b, 0x0f, 0x01, 0x01,
    0x7e, 0x20, 0x01, 0xfd, 0x1b, 0x03, 0x20, 0x02, 0x6a, 0x20, 0x00, 0x6a, 0x0b, 0x1d, 0x01, 0x03, 0x7f,
    0x41, 0xe8, 0x07, 0xfd, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
    0x28, 0x00, 0x00, 0x00, 0x20, 0x00, 0x12, 0x05, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x12,
    0x00, 0x0b, 0x06, 0x00, 0x41, 0x00, 0x12, 0x01, 0x0b, 0x09, 0x00, 0x41, 0x03, 0x20, 0x00, 0x13, 0x01,
    0x00, 0x0b, 0x0b, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x05,
};

static const uint8_t steps_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1f, 0x05, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60,
    0x00, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x06, 0x7e, 0x7f, 0x7e, 0x7f, 0x7e, 0x7f,
    0x01, 0x7e, 0x60, 0x01, 0x7f, 0x01, 0x7e, 0x02, 0x17, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x61, 0x64,
    0x64, 0x31, 0x30, 0x30, 0x00, 0x00, 0x01, 0x61, 0x04, 0x70, 0x65, 0x65, 0x6b, 0x00, 0x00, 0x03, 0x0d,
    0x0c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x03, 0x04, 0x00, 0x04, 0x04, 0x01, 0x70,
    0x00, 0x01, 0x07, 0x2d, 0x06, 0x03, 0x69, 0x6e, 0x64, 0x00, 0x03, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x00,
    0x05, 0x05, 0x6f, 0x74, 0x68, 0x65, 0x72, 0x00, 0x07, 0x04, 0x74, 0x72, 0x61, 0x70, 0x00, 0x0a, 0x06,
    0x72, 0x6f, 0x74, 0x61, 0x74, 0x65, 0x00, 0x0c, 0x04, 0x64, 0x65, 0x65, 0x70, 0x00, 0x0d, 0x09, 0x07,
    0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x02, 0x0a, 0xb4, 0x01, 0x0c, 0x14, 0x00, 0x20, 0x00, 0x04, 0x7f,
    0x20, 0x00, 0x41, 0x01, 0x6b, 0x41, 0x00, 0x13, 0x00, 0x00, 0x05, 0x41, 0x09, 0x0b, 0x0b, 0x09, 0x00,
    0x20, 0x00, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x12, 0x00, 0x0b, 0x09, 0x00,
    0x20, 0x00, 0x10, 0x04, 0x41, 0x01, 0x6a, 0x0b, 0x06, 0x00, 0x41, 0x00, 0x12, 0x01, 0x0b, 0x07, 0x00,
    0x10, 0x06, 0x41, 0x01, 0x6a, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6e, 0x0b, 0x08, 0x00, 0x41,
    0x01, 0x20, 0x00, 0x12, 0x08, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x10, 0x09, 0x41, 0x00, 0x6a, 0x0b, 0x2e,
    0x00, 0x20, 0x05, 0x04, 0x7e, 0x20, 0x01, 0xad, 0x20, 0x02, 0xa7, 0x20, 0x03, 0xad, 0x20, 0x04, 0xa7,
    0x20, 0x00, 0x20, 0x05, 0x41, 0x01, 0x6b, 0x12, 0x0b, 0x05, 0x20, 0x00, 0x42, 0x90, 0xce, 0x00, 0x7e,
    0x20, 0x02, 0x42, 0xe4, 0x00, 0x7e, 0x20, 0x04, 0x7c, 0x7c, 0x0b, 0x0b, 0x12, 0x01, 0x02, 0x7e, 0x42,
    0x01, 0x41, 0x02, 0x42, 0x03, 0x41, 0x04, 0x42, 0x05, 0x20, 0x00, 0x12, 0x0b, 0x0b, 0x16, 0x00, 0x20,
    0x00, 0x04, 0x7f, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x0d, 0x41, 0x01, 0x6a, 0x05, 0x41, 0x03, 0x12,
    0x02, 0x0b, 0x0b,
};

static const uint8_t eh_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60,
    0x01, 0x7f, 0x00, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x0c, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04, 0x05, 0x01, 0x70, 0x01, 0x01, 0x01, 0x0d, 0x03, 0x01, 0x00,
    0x01, 0x07, 0x69, 0x06, 0x0b, 0x74, 0x61, 0x69, 0x6c, 0x5f, 0x69, 0x6e, 0x5f, 0x74, 0x72, 0x79, 0x00,
    0x01, 0x0f, 0x69, 0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x5f, 0x69, 0x6e, 0x5f, 0x74, 0x72, 0x79,
    0x00, 0x02, 0x11, 0x63, 0x61, 0x75, 0x67, 0x68, 0x74, 0x5f, 0x61, 0x66, 0x74, 0x65, 0x72, 0x5f, 0x74,
    0x61, 0x69, 0x6c, 0x00, 0x04, 0x0f, 0x74, 0x61, 0x69, 0x6c, 0x5f, 0x66, 0x72, 0x6f, 0x6d, 0x5f, 0x63,
    0x61, 0x74, 0x63, 0x68, 0x00, 0x06, 0x0a, 0x63, 0x61, 0x74, 0x63, 0x68, 0x5f, 0x6c, 0x6f, 0x6f, 0x70,
    0x00, 0x08, 0x12, 0x72, 0x65, 0x74, 0x68, 0x72, 0x6f, 0x77, 0x5f, 0x61, 0x66, 0x74, 0x65, 0x72, 0x5f,
    0x74, 0x61, 0x69, 0x6c, 0x00, 0x0a, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00, 0x0a, 0xa9,
    0x01, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x08, 0x00, 0x0b, 0x0b, 0x00, 0x06, 0x7f, 0x20, 0x00, 0x12, 0x00,
    0x07, 0x00, 0x0b, 0x0b, 0x0e, 0x00, 0x06, 0x7f, 0x20, 0x00, 0x41, 0x00, 0x13, 0x00, 0x00, 0x07, 0x00,
    0x0b, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x12, 0x00, 0x0b, 0x0f, 0x00, 0x06, 0x7f, 0x20, 0x00, 0x10, 0x03,
    0x07, 0x00, 0x41, 0xe8, 0x07, 0x6a, 0x0b, 0x0b, 0x11, 0x00, 0x06, 0x7f, 0x20, 0x00, 0x41, 0x01, 0x6a,
    0x08, 0x00, 0x07, 0x00, 0x41, 0x0a, 0x6a, 0x0b, 0x0b, 0x0d, 0x00, 0x06, 0x7f, 0x20, 0x00, 0x08, 0x00,
    0x07, 0x00, 0x12, 0x05, 0x0b, 0x0b, 0x22, 0x00, 0x20, 0x00, 0x45, 0x04, 0x7f, 0x20, 0x01, 0x05, 0x06,
    0x7f, 0x20, 0x01, 0x08, 0x00, 0x07, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b,
    0x20, 0x01, 0x12, 0x07, 0x0b, 0x0b, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x41, 0x00, 0x12, 0x07, 0x0b, 0x12,
    0x00, 0x06, 0x7f, 0x20, 0x00, 0x08, 0x00, 0x07, 0x00, 0x41, 0x05, 0x10, 0x05, 0x1a, 0x09, 0x00, 0x0b,
    0x0b, 0x0f, 0x00, 0x06, 0x7f, 0x20, 0x00, 0x10, 0x09, 0x07, 0x00, 0x41, 0xe4, 0x00, 0x6a, 0x0b, 0x0b,
};

static const uint8_t peek_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03,
    0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x08, 0x01, 0x04, 0x70, 0x65, 0x65, 0x6b, 0x00,
    0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x0b, 0x0b, 0x07, 0x01, 0x00, 0x41,
    0x00, 0x0b, 0x01, 0x2a,
};

typedef struct fixture {
    ward_engine *engine;
    ward_store *store;
    ward_module *module, *peek_module;
    ward_instance *inst;
} fixture;

static ward_result add100(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    (void)env;
    (void)caller;
    (void)trap;
    results[0] = ward_val_i32(args[0].of.i32 + 100);
    return WARD_OK;
}

/* Instantiate a module importing env.add100 and a.peek (another instance)
 * in a fresh engine with cfg (NULL: the defaults). */
static bool setup(fixture *fx, const uint8_t *wasm, size_t len, const ward_config *cfg)
{
    memset(fx, 0, sizeof *fx);
    ward_error err = {0};
    ward_trap trap;
    ward_instance *peek = NULL;
    static const ward_valkind i32[1] = {WARD_I32};
    ward_functype type = {1, 1, i32, i32};
    fx->engine = ward_engine_new(cfg); /* tail calls are on by default */
    fx->store = ward_store_new(fx->engine);
    fx->module = ward_module_new(fx->engine, wasm, len, &err);
    CHECK_MSG(fx->module != NULL, "%s", err.message);
    fx->peek_module = ward_module_new(fx->engine, peek_wasm, sizeof peek_wasm, &err);
    ward_linker *linker = ward_linker_new();
    bool ok = fx->module && fx->peek_module && linker &&
              ward_instantiate(fx->store, fx->peek_module, NULL, &peek, &err, &trap) == WARD_OK &&
              ward_linker_define_instance(linker, "a", peek) == WARD_OK &&
              ward_linker_define_func(linker, "env", "add100", ward_func_new(fx->store, &type, add100, NULL)) ==
                  WARD_OK &&
              ward_instantiate(fx->store, fx->module, linker, &fx->inst, &err, &trap) == WARD_OK;
    CHECK_MSG(ok, "instantiation: %s", err.message);
    ward_linker_free(linker);
    return ok;
}

static void teardown(fixture *fx)
{
    ward_store_free(fx->store);
    ward_module_free(fx->module);
    ward_module_free(fx->peek_module);
    ward_engine_free(fx->engine);
}

static ward_result call1(fixture *fx, const char *name, const ward_val *args, size_t nargs, ward_val *result,
                         ward_trap *trap)
{
    memset(trap, 0, sizeof *trap);
    return ward_call(fx->store, ward_instance_func(fx->inst, name), args, nargs, result, 1, trap);
}

/* Ten million tail calls alternating between return_call and
 * return_call_indirect, far past the 10,000-frame default depth. */
static void test_unbounded_recursion(fixture *fx)
{
    ward_val args[2] = {ward_val_i64(10000000), ward_val_i64(0)}, r;
    ward_trap trap;
    CHECK_MSG(call1(fx, "even", args, 2, &r, &trap) == WARD_OK, "%s", trap.message);
    CHECK(r.of.i64 == 5000000);
    args[0] = ward_val_i64(7);
    CHECK(call1(fx, "even", args, 2, &r, &trap) == WARD_OK && (int64_t)r.of.i64 == -4);
}

static void test_arguments_and_targets(fixture *fx)
{
    ward_val a = ward_val_i32(2), r;
    ward_trap trap;
    /* a v128 argument between i32s, moved down over the caller's locals */
    CHECK(call1(fx, "vector", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == 1042);
    /* a host function: its results become the caller's */
    CHECK(call1(fx, "host", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == 103);
    /* another instance's function reads its own memory (42), not ours (5) */
    CHECK(call1(fx, "other", NULL, 0, &r, &trap) == WARD_OK && r.of.i32 == 42);
}

/* return_call_indirect checks like call_indirect, with the same traps. */
static void test_indirect_traps(fixture *fx)
{
    static const struct {
        int32_t index;
        ward_trap_kind kind;
    } cases[] = {
        {0, WARD_TRAP_INDIRECT_TYPE_MISMATCH}, /* $even: (i64 i64) -> i64 */
        {3, WARD_TRAP_UNINITIALIZED_ELEMENT},
        {4, WARD_TRAP_UNDEFINED_ELEMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ward_val a = ward_val_i32(cases[i].index), r;
        ward_trap trap;
        CHECK(call1(fx, "indirect", &a, 1, &r, &trap) == WARD_TRAP);
        CHECK_MSG(trap.kind == cases[i].kind, "index %d: trap %s", (int)cases[i].index, trap.message);
    }
    ward_val a = ward_val_i32(2), r; /* $count: (i32) -> i32 */
    ward_trap trap;
    CHECK(call1(fx, "indirect", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == 7);
}

/* Fuel of count(n) with a budget that cannot run out. */
static uint64_t count_fuel(fixture *fx, int32_t n)
{
    ward_val a = ward_val_i32(n), r;
    ward_trap trap;
    ward_store_set_fuel(fx->store, UINT64_MAX / 2);
    CHECK(call1(fx, "count", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == 7);
    return ward_store_fuel_consumed(fx->store);
}

/* Each tail-recursive step costs its seven instructions (local.get,
 * i32.eqz, if, local.get, i32.const, i32.sub, return_call), and every
 * budget below the need stops after exactly that many. */
static void test_fuel(fixture *fx)
{
    uint64_t need = count_fuel(fx, 20);
    CHECK(count_fuel(fx, 21) - need == 7u);
    for (uint64_t f = 0; f <= need; f++) {
        ward_val a = ward_val_i32(20), r;
        ward_trap trap;
        ward_store_set_fuel(fx->store, f);
        ward_result res = call1(fx, "count", &a, 1, &r, &trap);
        if (f < need)
            CHECK_MSG(res == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL &&
                          ward_store_fuel_consumed(fx->store) == f,
                      "fuel %llu", (unsigned long long)f);
        else
            CHECK(res == WARD_OK && r.of.i32 == 7 && ward_store_fuel_consumed(fx->store) == need);
    }
    ward_store_disable_fuel(fx->store);
}

/* The ten-million-call chain with fuel on: constant frame space on the
 * metered (or step) code too, and exactly 10 instructions per $even step, 9
 * per $odd step (return_call_indirect) and 6 for the last $even. */
static void test_unbounded_recursion_fuel(fixture *fx)
{
    ward_val args[2] = {ward_val_i64(10000000), ward_val_i64(0)}, r;
    ward_trap trap;
    ward_store_set_fuel(fx->store, UINT64_MAX / 2);
    CHECK_MSG(call1(fx, "even", args, 2, &r, &trap) == WARD_OK, "%s", trap.message);
    CHECK(r.of.i64 == 5000000);
    CHECK_MSG(ward_store_fuel_consumed(fx->store) == 5000000u * 10 + 5000000u * 9 + 6, "consumed %llu",
              (unsigned long long)ward_store_fuel_consumed(fx->store));
    ward_store_disable_fuel(fx->store);
}

/* One executed instruction of a fuel trace (steps_wasm): where the call
 * stops when it is the first one the fuel cannot pay for, and the frame
 * below (NONE: the stop is in the function ward_call entered). */
#define NONE 0xffffffffu
typedef struct stop {
    uint32_t func, offset, caller, caller_offset;
} stop;

/* Sweep F = 0..n: below n the call stops at trace[F] having consumed F;
 * with n it runs to the end (or, when want_trap, traps with that kind
 * having consumed n). */
static void check_stops(fixture *fx, const char *name, const ward_val *arg, size_t nargs, const stop *trace, uint64_t n,
                        ward_trap_kind want_trap)
{
    for (uint64_t fuel = 0; fuel <= n; fuel++) {
        ward_val r;
        ward_trap trap;
        ward_store_set_fuel(fx->store, fuel);
        ward_result res = call1(fx, name, arg, nargs, &r, &trap);
        CHECK_MSG(ward_store_fuel_consumed(fx->store) == fuel, "%s with fuel %llu: consumed %llu", name,
                  (unsigned long long)fuel, (unsigned long long)ward_store_fuel_consumed(fx->store));
        if (fuel == n && want_trap == WARD_TRAP_NONE) {
            CHECK_MSG(res == WARD_OK, "%s with exactly %llu fuel: %s", name, (unsigned long long)n, trap.message);
            continue;
        }
        ward_trap_kind kind = fuel == n ? want_trap : WARD_TRAP_OUT_OF_FUEL;
        CHECK_MSG(res == WARD_TRAP && trap.kind == kind, "%s with fuel %llu: result %d, trap %d (%s)", name,
                  (unsigned long long)fuel, res, trap.kind, trap.message);
        if (fuel == n)
            continue;
        const stop *t = &trace[fuel];
        CHECK_MSG(trap.func_index == t->func && trap.offset == t->offset,
                  "%s with fuel %llu: stopped in %u at 0x%x, expected %u at 0x%x", name, (unsigned long long)fuel,
                  trap.func_index, trap.offset, t->func, t->offset);
        /* the backtrace: a tail-called function replaces its caller */
        CHECK_MSG(trap.nframes == (t->caller == NONE ? 1u : 2u), "%s with fuel %llu: %u frames", name,
                  (unsigned long long)fuel, trap.nframes);
        if (t->caller != NONE && trap.nframes == 2)
            CHECK_MSG(trap.backtrace[1].func_index == t->caller && trap.backtrace[1].offset == t->caller_offset,
                      "%s with fuel %llu: caller %u at 0x%x", name, (unsigned long long)fuel,
                      trap.backtrace[1].func_index, trap.backtrace[1].offset);
    }
    ward_store_disable_fuel(fx->store);
}

/* return_call_indirect chains, tail calls to a host function and to another
 * instance's function, and a trap after a tail call: every stop lands on
 * the exact instruction, and backtraces skip the frames tail calls left. */
static void test_fuel_traces(fixture *fx)
{
    ward_val two = ward_val_i32(2), one = ward_val_i32(1), zero = ward_val_i32(0);
    static const stop ind[] = {
        {3, 0xaa, NONE, 0}, {3, 0xac, NONE, 0}, {3, 0xae, NONE, 0}, /* ind: return_call_indirect $down 2 */
        {2, 0x95, NONE, 0}, {2, 0x97, NONE, 0}, {2, 0x99, NONE, 0}, {2, 0x9b, NONE, 0}, {2, 0x9d, NONE, 0},
        {2, 0x9e, NONE, 0}, {2, 0xa0, NONE, 0}, /* $down 2 */
        {2, 0x95, NONE, 0}, {2, 0x97, NONE, 0}, {2, 0x99, NONE, 0}, {2, 0x9b, NONE, 0}, {2, 0x9d, NONE, 0},
        {2, 0x9e, NONE, 0}, {2, 0xa0, NONE, 0}, /* $down 1 */
        {2, 0x95, NONE, 0}, {2, 0x97, NONE, 0}, {2, 0xa4, NONE, 0}, {2, 0xa6, NONE, 0}, {2, 0xa7, NONE, 0},
    };
    check_stops(fx, "ind", &two, 1, ind, sizeof ind / sizeof ind[0], WARD_TRAP_NONE);
    static const stop host[] = {
        {5, 0xbb, NONE, 0}, {5, 0xbd, NONE, 0}, {4, 0xb4, 5, 0xbd}, {4, 0xb6, 5, 0xbd}, /* add100 is free */
        {5, 0xbf, NONE, 0}, {5, 0xc1, NONE, 0}, {5, 0xc2, NONE, 0},
    };
    check_stops(fx, "host", &one, 1, host, sizeof host / sizeof host[0], WARD_TRAP_NONE);
    static const stop other[] = {
        {7, 0xcc, NONE, 0}, {6, 0xc5, 7, 0xcc}, {6, 0xc7, 7, 0xcc},
        {0, 0x28, 7, 0xcc}, {0, 0x2a, 7, 0xcc}, {0, 0x2d, 7, 0xcc}, /* peek, in its own module */
        {7, 0xce, NONE, 0}, {7, 0xd0, NONE, 0}, {7, 0xd1, NONE, 0},
    };
    check_stops(fx, "other", NULL, 0, other, sizeof other / sizeof other[0], WARD_TRAP_NONE);
    static const stop trapping[] = {
        {10, 0xe5, NONE, 0}, {10, 0xe7, NONE, 0}, {9, 0xdc, 10, 0xe7}, {9, 0xde, 10, 0xe7}, {9, 0xe0, 10, 0xe7},
        {8, 0xd4, 10, 0xe7}, {8, 0xd6, 10, 0xe7}, {8, 0xd8, 10, 0xe7},
    };
    check_stops(fx, "trap", &zero, 1, trapping, sizeof trapping / sizeof trapping[0],
                WARD_TRAP_DIV_BY_ZERO);
    /* the trap itself: in $boom, called (through $mid's tail call) by trap */
    ward_val r, a = ward_val_i32(0);
    ward_trap trap;
    CHECK(call1(fx, "trap", &a, 1, &r, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_DIV_BY_ZERO);
    CHECK(trap.nframes == 2 && trap.backtrace[0].func_index == 8 && trap.backtrace[0].offset == 0xd8 &&
          trap.backtrace[1].func_index == 10 && trap.backtrace[1].offset == 0xe7);
    a = ward_val_i32(5);
    CHECK(call1(fx, "trap", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == 0);
}

/* Six arguments of alternating widths rotated one place per tail call, over
 * a caller with fewer slots than the callee's parameters (the arguments
 * overlap the frame's base as they move down). */
static void test_rotation(fixture *fx)
{
    static const struct {
        int32_t n;
        uint64_t want;
    } cases[] = {{0, 10305}, {1, 20401}, {2, 30502}, {7, 30502}, {1000, 10305}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ward_val a = ward_val_i32(cases[i].n), r;
        ward_trap trap;
        CHECK(call1(fx, "rotate", &a, 1, &r, &trap) == WARD_OK);
        CHECK_MSG(r.of.i64 == cases[i].want, "rotate %d: %llu", (int)cases[i].n, (unsigned long long)r.of.i64);
    }
}

/* At the frame limit a call traps but a tail call still runs: deep(n) nests
 * n + 1 frames of $deep, then tail-calls $down (which tail-calls itself). */
static void test_depth_limit(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_call_depth = 64;
    fixture fx;
    if (setup(&fx, steps_wasm, sizeof steps_wasm, &cfg)) {
        ward_val a, r;
        ward_trap trap;
        int32_t n = 0;
        for (;; n++) { /* the deepest n whose calls fit */
            a = ward_val_i32(n + 1);
            if (call1(&fx, "deep", &a, 1, &r, &trap) != WARD_OK)
                break;
        }
        CHECK_MSG(n + 1 == 64, "deepest n: %d", (int)n); /* all 64 frames are $deep */
        /* deep(n + 1) trapped at a call, at the depth where deep(n) tail-calls */
        CHECK_MSG(trap.kind == WARD_TRAP_STACK_EXHAUSTED && trap.func_index == 13 && trap.offset == 0x13a,
                  "trap %s in %u at 0x%x", trap.message, trap.func_index, trap.offset);
        a = ward_val_i32(n);
        CHECK(call1(&fx, "deep", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == (uint32_t)n + 9);
        ward_store_set_fuel(fx.store, 1000000);
        CHECK(call1(&fx, "deep", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == (uint32_t)n + 9);
    }
    teardown(&fx);
}

/* With exception handling: a tail call leaves the try around it (the
 * callee's exception is not caught there), a caller's try still catches
 * what a tail-called function throws, and tail calls out of catch bodies
 * keep the caught-exception stack bounded and rethrow intact. */
static void test_exceptions(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.exceptions = true;
    fixture fx;
    if (setup(&fx, eh_wasm, sizeof eh_wasm, &cfg)) {
        static const struct {
            const char *name;
            int32_t arg, want; /* want < 0: an uncaught exception */
        } cases[] = {
            {"tail_in_try", 1, -1},          {"indirect_in_try", 1, -1},
            {"caught_after_tail", 7, 1007},  {"tail_from_catch", 3, 14},
            {"catch_loop", 1000000, 1000000}, {"rethrow_after_tail", 4, 104},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            ward_val a = ward_val_i32(cases[i].arg), r;
            ward_trap trap;
            ward_result res = call1(&fx, cases[i].name, &a, 1, &r, &trap);
            if (cases[i].want < 0)
                CHECK_MSG(res == WARD_TRAP && trap.kind == WARD_TRAP_UNCAUGHT_EXCEPTION, "%s: %s", cases[i].name,
                          trap.message);
            else
                CHECK_MSG(res == WARD_OK && r.of.i32 == (uint32_t)cases[i].want, "%s: %s", cases[i].name,
                          res == WARD_OK ? "wrong result" : trap.message);
        }
    }
    teardown(&fx);
}

int main(void)
{
    fixture fx;
    if (setup(&fx, tail_wasm, sizeof tail_wasm, NULL)) {
        test_unbounded_recursion(&fx);
        test_arguments_and_targets(&fx);
        test_indirect_traps(&fx);
        /* fuel on the block-metered code, then on the per-instruction step
         * code (the reference) */
        test_fuel(&fx);
        test_unbounded_recursion_fuel(&fx);
        CHECK(wexec_set_step_only(fx.store, true));
        test_fuel(&fx);
        test_unbounded_recursion_fuel(&fx);
    }
    teardown(&fx);
    if (setup(&fx, steps_wasm, sizeof steps_wasm, NULL)) {
        test_rotation(&fx);
        test_fuel_traces(&fx);
        CHECK(wexec_set_step_only(fx.store, true));
        test_fuel_traces(&fx);
    }
    teardown(&fx);
    test_depth_limit();
    test_exceptions();
    return test_summary("tail_call");
}
