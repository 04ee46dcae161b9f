;; Runaway guests for the CLI's limit options.
(module
  (memory 1)
  (func (export "spin") (loop $l (br $l)))
  (func $recurse (export "recurse") (call $recurse))
  ;; Grow one page at a time until memory.grow fails; return the pages held.
  (func (export "bomb") (result i32)
    (block $done
      (loop $more
        (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $more)))
    (memory.size)))
