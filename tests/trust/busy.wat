;; A loop of a million iterations (a few million fuel units), and a
;; memory.grow of 300 pages (19.6 MiB) for the memory limits.
(module
  (memory (export "memory") 1)
  (func (export "spin") (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000000))))
    (local.get $i))
  (func (export "grow") (result i32) (memory.grow (i32.const 300))))
