;; The start function itself traps during instantiation.
(module
  (func $init unreachable)
  (start $init))
