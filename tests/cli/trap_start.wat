;; _start traps: `ward run` must exit 1 and name the function.
(module
  (func $boom (export "_start") unreachable))
