;; A contract drawing 16 bytes from ward:crypto's random stream and writing
;; them out: the stream is keyed by the call's seed, so the output is a
;; function of module, input (and a given seed).  "spin" loops forever.
(module
  (import "ward:crypto" "random_bytes" (func $random (param i32 i32) (result i32)))
  (import "ward:io" "output_write" (func $out (param i32 i32) (result i32)))
  (import "ward:state" "set" (func $set (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "draw")
    (drop (call $random (i32.const 0) (i32.const 16)))
    (drop (call $out (i32.const 0) (i32.const 16))))
  (func (export "spin")
    (drop (call $set (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1)))
    (loop $l (br $l))))
