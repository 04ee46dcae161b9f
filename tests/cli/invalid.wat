;; Type-incorrect (assembled with --no-check): validation must reject it.
(module
  (func (export "f") (result i32) (i64.const 1)))
