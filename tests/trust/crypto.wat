;; Imports ward:crypto (and WASI): its level must allow both.
(module
  (import "ward:crypto" "sha256" (func $sha256 (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
