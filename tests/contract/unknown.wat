;; A contract importing a function ward:io does not have: refused at link.
(module
  (import "ward:io" "nope" (func $n))
  (func (export "run") (call $n)))
