;; ward:vault's imports called directly, for the fuel and bounds tests
;; (test_vault_guest.c): the name "api/k" at 0, values at 64, output at
;; 1024, the length word at 16.
(module
  (import "ward:vault" "put" (func $put (param i32 i32 i32 i32) (result i32)))
  (import "ward:vault" "get" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "ward:vault" "get_version" (func $get_version (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "ward:vault" "delete" (func $delete (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "api/k")
  (data (i32.const 32) "bad name")
  (data (i32.const 64) "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
  (func (export "put") (param $len i32) (result i32)
    (call $put (i32.const 0) (i32.const 5) (i32.const 64) (local.get $len)))
  (func (export "get") (param $cap i32) (result i32)
    (call $get (i32.const 0) (i32.const 5) (i32.const 1024) (local.get $cap) (i32.const 16)))
  (func (export "get_version") (param $version i32) (param $cap i32) (result i32)
    (call $get_version (i32.const 0) (i32.const 5) (local.get $version) (i32.const 1024) (local.get $cap)
      (i32.const 16)))
  (func (export "delete") (result i32)
    (call $delete (i32.const 0) (i32.const 5)))
  ;; a name with a space: EINVAL
  (func (export "put_bad_name") (result i32)
    (call $put (i32.const 32) (i32.const 8) (i32.const 64) (i32.const 4)))
  ;; an output range past the end of memory: traps
  (func (export "get_oob") (result i32)
    (call $get (i32.const 0) (i32.const 5) (i32.const 65530) (i32.const 64) (i32.const 16)))
  (func (export "len") (result i32) (i32.load (i32.const 16)))
  (func (export "byte") (param $at i32) (result i32) (i32.load8_u (local.get $at))))
