;; The guest side of test_wasi_block.c: one export per blocking WASI call,
;; and env.wait, a host function that waits in ward_caller_poll.
;; Layout: 0 a subscription (48 bytes), 64 its event, 96 the event count,
;; 128 an iovec, 136 the byte count, 140 roflags, 144 an accepted fd,
;; 256.. a read buffer, 65536.. the bytes written.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "wait" (func $wait (param i64) (result i32)))
  (memory (export "memory") 2)

  ;; poll_oneoff on a relative monotonic clock of ns nanoseconds
  (func (export "sleep") (param $ns i64) (result i32)
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (local.get $ns))
    (i32.store16 (i32.const 40) (i32.const 0))
    (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 96)))

  ;; poll_oneoff on fd_read of fd, no clock
  (func (export "poll_read") (param $fd i32) (result i32)
    (i32.store8 (i32.const 8) (i32.const 1))
    (i32.store (i32.const 16) (local.get $fd))
    (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 96)))

  (func $iovec (param $buf i32) (param $len i32)
    (i32.store (i32.const 128) (local.get $buf))
    (i32.store (i32.const 132) (local.get $len)))

  (func (export "read") (param $fd i32) (result i32)
    (call $iovec (i32.const 256) (i32.const 1024))
    (call $read (local.get $fd) (i32.const 128) (i32.const 1) (i32.const 136)))

  (func (export "recv") (param $fd i32) (result i32)
    (call $iovec (i32.const 256) (i32.const 1024))
    (call $recv (local.get $fd) (i32.const 128) (i32.const 1) (i32.const 0) (i32.const 136) (i32.const 140)))

  ;; fd_write of len bytes from 65536
  (func (export "write") (param $fd i32) (param $len i32) (result i32)
    (call $iovec (i32.const 65536) (local.get $len))
    (call $write (local.get $fd) (i32.const 128) (i32.const 1) (i32.const 136)))

  (func (export "written") (result i32) (i32.load (i32.const 136)))

  (func (export "accept") (param $fd i32) (result i32)
    (call $accept (local.get $fd) (i32.const 0) (i32.const 144)))

  (func (export "wait") (param $ns i64) (result i32)
    (call $wait (local.get $ns))))
