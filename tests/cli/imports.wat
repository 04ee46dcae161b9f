;; Needs an import `ward run` does not provide: a link error, exit 126.
(module
  (import "env" "f" (func))
  (func (export "_start") (call 0)))
