;; Issue 11, defect 1: plain recursion to a depth given on the command line,
;; run with --max-stack 4294967295 (the frame count used to wrap).
(module
  (func $r (export "r") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))
