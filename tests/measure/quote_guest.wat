;; `ward run` end to end (run_quote_cli.sh): extend register 8 with "hello",
;; then write to stdout a quote of registers 0, 1 and 8 with the nonce
;; "nonce-1234" (WASI fd_write).  Exits 3 when the quote is refused.
(module
  (import "ward:tee" "extend" (func $extend (param i32 i32 i32) (result i32)))
  (import "ward:tee" "quote" (func $quote (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello")
  (data (i32.const 16) "nonce-1234")
  (func (export "_start")
    (local $len i32)
    (if (i32.ne (call $extend (i32.const 8) (i32.const 0) (i32.const 5)) (i32.const 0))
      (then (call $proc_exit (i32.const 3))))
    ;; quote into 1024.. (room for the largest quote)
    (local.set $len (call $quote (i32.const 16) (i32.const 10) (i32.const 0x103) (i32.const 1024) (i32.const 1000)))
    (if (i32.lt_s (local.get $len) (i32.const 0))
      (then (call $proc_exit (i32.const 3))))
    ;; one iovec at 64: {1024, len}
    (i32.store (i32.const 64) (i32.const 1024))
    (i32.store (i32.const 68) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 80)))))
