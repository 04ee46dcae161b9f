;; A module with many kinds of sections (and a name section from
;; --debug-names) for the signature interop and tampering tests.
(module
  (type $t (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 7))
  (table 1 funcref)
  (elem (i32.const 0) $double)
  (func $double (export "double") (type $t) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "_start"))
  (data (i32.const 16) "signed data"))
