;; The start function must have run before _start: _start traps otherwise.
(module
  (global $started (mut i32) (i32.const 0))
  (func $init (global.set $started (i32.const 1)))
  (func $main (export "_start")
    (if (i32.eqz (global.get $started)) (then unreachable)))
  (func $get (export "started") (result i32) (global.get $started))
  (start $init))
