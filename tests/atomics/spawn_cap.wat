;; wasi-threads under a thread cap (test_wasi_threads.c, run_spawn_cli.sh).
;; Memory: 0 a word nobody changes (waiting threads wait on it forever),
;; 4 the number of quick threads that ran.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))

  ;; n spawns of threads that wait forever: the spawns accepted, and the
  ;; first refusal's value (0 when none was refused).
  (func (export "spawn_n") (param $n i32) (result i32 i32)
    (local $ok i32) (local $first i32) (local $r i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $r (call $spawn (i32.const 0)))
        (if (i32.gt_s (local.get $r) (i32.const 0))
          (then (local.set $ok (i32.add (local.get $ok) (i32.const 1))))
          (else (if (i32.eqz (local.get $first)) (then (local.set $first (local.get $r))))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $ok)
    (local.get $first))

  ;; n quick threads one after another, each spawned once the previous one
  ;; ran (a refused spawn is retried every millisecond, up to 10,000 times:
  ;; an ended thread's place comes back once its store is freed).  Returns
  ;; how many ran.
  (func (export "one_after_another") (param $n i32) (result i32)
    (local $k i32) (local $tries i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $tries (i32.const 10000))
        (block $spawned
          (loop $retry
            (br_if $spawned (i32.gt_s (call $spawn (i32.const 1)) (i32.const 0)))
            (local.set $tries (i32.sub (local.get $tries) (i32.const 1)))
            (br_if $done (i32.eqz (local.get $tries)))
            (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 1000000)))
            (br $retry)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        ;; until it ran
        (block $ran
          (loop $wait
            (br_if $ran (i32.ge_u (i32.atomic.load (i32.const 4)) (local.get $k)))
            (drop (memory.atomic.wait32 (i32.const 4) (i32.sub (local.get $k) (i32.const 1))
                                        (i64.const 1000000)))
            (br $wait)))
        (br $next)))
    (i32.atomic.load (i32.const 4)))

  ;; arg 1: count yourself and return; arg 0: wait forever.
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (if (local.get $arg)
      (then
        (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
        (drop (memory.atomic.notify (i32.const 4) (i32.const 1)))
        (return)))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))
