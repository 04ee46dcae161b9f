;; Exports for the CLI tests: every scalar type, multiple results, traps,
;; fuel and deep recursion.
(module
  (func $add (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func $add64 (export "add64") (param i64 i64) (result i64)
    (i64.add (local.get 0) (local.get 1)))
  (func $div (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $fadd32 (export "fadd32") (param f32 f32) (result f32)
    (f32.add (local.get 0) (local.get 1)))
  (func $fdiv64 (export "fdiv64") (param f64 f64) (result f64)
    (f64.div (local.get 0) (local.get 1)))
  (func $swap (export "swap") (param i32 i64) (result i64 i32)
    (local.get 1) (local.get 0))
  (func $nothing (export "nothing"))
  ;; Counts down from n: 3 instructions of setup, then 7 per iteration.
  (func $spin (export "spin") (param $n i32) (result i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $n))
  (func $forever (export "forever")
    (loop $again (br $again)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (call $recurse (i32.add (local.get 0) (i32.const 1))))
  ;; A trap two calls deep, for the backtrace.
  (func $inner (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (func $outer (export "outer") (param i32) (result i32)
    (call $inner (local.get 0))))
