;; The guest side of test_atomics.c: every export runs on its own host
;; thread (one store each), all instances importing one shared memory.
;; Layout: 0 counter (rmw.add), 4 mutex word, 8 counter under the mutex,
;; 16 ring head, 20 ring tail, 32 a word nobody changes (timeouts),
;; 1024.. ring slots (256 x i32).
(module
  (import "env" "mem" (memory 1 256 shared))

  ;; n times i32.atomic.rmw.add 1 on the counter at 0
  (func (export "add_loop") (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  ;; A mutex at 4: 0 free, 1 locked, 2 locked with waiters (Drepper's).
  (func $lock
    (local $c i32)
    (local.set $c (i32.atomic.rmw.cmpxchg (i32.const 4) (i32.const 0) (i32.const 1)))
    (if (local.get $c)
      (then
        (if (i32.ne (local.get $c) (i32.const 2))
          (then (local.set $c (i32.atomic.rmw.xchg (i32.const 4) (i32.const 2)))))
        (block $got
          (loop $again
            (br_if $got (i32.eqz (local.get $c)))
            (drop (memory.atomic.wait32 (i32.const 4) (i32.const 2) (i64.const -1)))
            (local.set $c (i32.atomic.rmw.xchg (i32.const 4) (i32.const 2)))
            (br $again))))))
  (func $unlock
    (if (i32.ne (i32.atomic.rmw.sub (i32.const 4) (i32.const 1)) (i32.const 1))
      (then
        (i32.atomic.store (i32.const 4) (i32.const 0))
        (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))))

  ;; n times: lock; plain load + add + plain store of the counter at 8; unlock
  (func (export "locked_inc_loop") (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (call $lock)
        (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (i32.const 1)))
        (call $unlock)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  ;; Single-producer single-consumer ring of 256 slots: head at 16 (next
  ;; slot written), tail at 20 (next slot read); messages are 1..n.
  (func (export "produce") (param $n i32)
    (local $i i32) (local $head i32) (local $tail i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $head (i32.atomic.load (i32.const 16)))
        ;; full: sleep until the consumer moves the tail
        (block $room
          (loop $wait
            (local.set $tail (i32.atomic.load (i32.const 20)))
            (br_if $room (i32.lt_u (i32.sub (local.get $head) (local.get $tail)) (i32.const 256)))
            (drop (memory.atomic.wait32 (i32.const 20) (local.get $tail) (i64.const -1)))
            (br $wait)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (i32.store offset=1024
          (i32.shl (i32.and (local.get $head) (i32.const 255)) (i32.const 2))
          (local.get $i))
        (i32.atomic.store (i32.const 16) (i32.add (local.get $head) (i32.const 1)))
        (drop (memory.atomic.notify (i32.const 16) (i32.const 1)))
        (br $next))))
  ;; Reads n messages; returns how many were not the one expected next.
  (func (export "consume") (param $n i32) (result i32)
    (local $i i32) (local $head i32) (local $tail i32) (local $bad i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $tail (i32.atomic.load (i32.const 20)))
        (block $some
          (loop $wait
            (local.set $head (i32.atomic.load (i32.const 16)))
            (br_if $some (i32.ne (local.get $head) (local.get $tail)))
            (drop (memory.atomic.wait32 (i32.const 16) (local.get $head) (i64.const -1)))
            (br $wait)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.ne (local.get $i)
                    (i32.load offset=1024
                      (i32.shl (i32.and (local.get $tail) (i32.const 255)) (i32.const 2))))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        (i32.atomic.store (i32.const 20) (i32.add (local.get $tail) (i32.const 1)))
        (drop (memory.atomic.notify (i32.const 20) (i32.const 1)))
        (br $next)))
    (local.get $bad))

  ;; wait32 on the word at 32 (always 0) with a timeout: 2 expected
  (func (export "wait_timeout") (param $ns i64) (result i32)
    (memory.atomic.wait32 (i32.const 32) (i32.const 0) (local.get $ns)))
  (func (export "wait_forever") (result i32)
    (memory.atomic.wait32 (i32.const 32) (i32.const 0) (i64.const -1)))
  (func (export "notify_all") (param $addr i32) (result i32)
    (memory.atomic.notify (local.get $addr) (i32.const -1)))

  ;; Growth: grow by one page n times (or until full); returns the pages.
  (func (export "grow_loop") (param $n i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (memory.size))
  ;; n times: write and read back a word in the last page that exists now
  ;; (each thread its own word: $id * 4); returns mismatches.  An access
  ;; beyond the size this thread last saw traps, which the host reports.
  (func (export "rw_loop") (param $n i32) (param $id i32) (result i32)
    (local $addr i32) (local $bad i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $addr (i32.sub (i32.mul (memory.size) (i32.const 65536))
                                  (i32.mul (i32.add (local.get $id) (i32.const 1)) (i32.const 4))))
        (i32.store (local.get $addr) (local.get $n))
        (if (i32.ne (i32.load (local.get $addr)) (local.get $n))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        (drop (i32.atomic.rmw.add (local.get $addr) (i32.const 0)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $bad))
)
