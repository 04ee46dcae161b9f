;; Every command here is wrong on purpose: the runner must count each one
;; as a failure (and not crash).
(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "trap") unreachable))
(assert_return (invoke "one") (i32.const 2))
(assert_trap (invoke "one") "unreachable")
(assert_trap (invoke "trap") "integer overflow")
(assert_exhaustion (invoke "one") "call stack exhausted")
(assert_invalid (module (func)) "type mismatch")
(assert_malformed (module (func)) "unexpected end")
(assert_unlinkable (module (func)) "unknown import")
(assert_trap (module (func)) "unreachable")
(module $Bad (func $f unreachable) (func (export "x")) (start $f))
(assert_return (invoke $Bad "x"))
(register "bad" $Bad)
