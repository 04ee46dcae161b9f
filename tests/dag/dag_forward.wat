;; Every ward:dag import, re-exported under its name through a forwarder
;; (local.get 0..n-1, call, end: n + 2 fuel), and 40 pages of memory (room for the longest list), so
;; test_guest_dag.c calls each import as a guest would (docs/dag.md).
(module
  (import "ward:dag" "put" (func $put (param i32 i32 i32 i32 i32) (result i32)))
  (import "ward:dag" "get" (func $get (param i32 i32 i32 i32) (result i32)))
  (import "ward:dag" "has" (func $has (param i32) (result i32)))
  (import "ward:dag" "parents" (func $parents (param i32 i32 i32 i32) (result i32)))
  (import "ward:dag" "children" (func $children (param i32 i32 i32 i32) (result i32)))
  (import "ward:dag" "tips" (func $tips (param i32 i32 i32) (result i32)))
  (import "ward:dag" "is_ancestor" (func $is_ancestor (param i32 i32) (result i32)))
  (import "ward:dag" "walk" (func $walk (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "ward:dag" "count" (func $count (param i32) (result i32)))
  (memory (export "memory") 40)
  (func (export "put") (param i32 i32 i32 i32 i32) (result i32) local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $put)
  (func (export "get") (param i32 i32 i32 i32) (result i32) local.get 0 local.get 1 local.get 2 local.get 3 call $get)
  (func (export "has") (param i32) (result i32) local.get 0 call $has)
  (func (export "parents") (param i32 i32 i32 i32) (result i32) local.get 0 local.get 1 local.get 2 local.get 3 call $parents)
  (func (export "children") (param i32 i32 i32 i32) (result i32) local.get 0 local.get 1 local.get 2 local.get 3 call $children)
  (func (export "tips") (param i32 i32 i32) (result i32) local.get 0 local.get 1 local.get 2 call $tips)
  (func (export "is_ancestor") (param i32 i32) (result i32) local.get 0 local.get 1 call $is_ancestor)
  (func (export "walk") (param i32 i32 i32 i32 i32 i32 i32) (result i32) local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 local.get 5 local.get 6 call $walk)
  (func (export "count") (param i32) (result i32) local.get 0 call $count)
)
