;; A guest of ward:tee for tests/measure/test_tee_guest.c: each export calls
;; one ward:tee import with its arguments, so the test drives the guest ABI
;; (pointers into this module's memory) from the host.
(module
  (import "ward:tee" "extend" (func $extend (param i32 i32 i32) (result i32)))
  (import "ward:tee" "read" (func $read (param i32 i32) (result i32)))
  (import "ward:tee" "quote" (func $quote (param i32 i32 i32 i32 i32) (result i32)))
  (import "ward:tee" "seal" (func $seal (param i32 i32 i32 i32 i32) (result i32)))
  (import "ward:tee" "unseal" (func $unseal (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "extend") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 call $extend)
  (func (export "read") (param i32 i32) (result i32)
    local.get 0 local.get 1 call $read)
  (func (export "quote") (param i32 i32 i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $quote)
  (func (export "seal") (param i32 i32 i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $seal)
  (func (export "unseal") (param i32 i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 local.get 3 call $unseal))
