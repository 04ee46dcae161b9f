;; Tags are identities: an imported tag is the exporter's tag; two
;; instances of one module have different tags.
(module $M
  (tag $e (export "e") (param i32))
  (tag $other (export "other") (param i32))
  (func (export "throw") (param i32) (throw $e (local.get 0)))
  (func (export "catch") (param funcref) (result i32) (i32.const 0))
  (func (export "catch-e") (param i32) (result i32)
    (try (result i32) (do (call $throw-imported (local.get 0)) (i32.const 0)) (catch $e)))
  (func $throw-imported (param i32) (throw $e (local.get 0)))
)
(register "M" $M)

(module $N
  (import "M" "e" (tag $e (param i32)))
  (import "M" "other" (tag $o (param i32)))
  (import "M" "throw" (func $throw (param i32)))
  (tag $local (param i32))
  (export "local" (tag $local))
  (func (export "catch-imported") (param i32) (result i32)
    (try (result i32)
      (do (call $throw (local.get 0)) (i32.const 0))
      (catch $o (i32.const 1000) (i32.add))
      (catch $e (i32.const 2000) (i32.add))))
  (func (export "local-not-matched") (param i32) (result i32)
    (try (result i32)
      (do (call $throw (local.get 0)) (i32.const 0))
      (catch $local)
      (catch_all (i32.const -1))))
  (func (export "throw-e") (param i32) (throw $e (local.get 0)))
  (func (export "throw-local") (param i32) (throw $local (local.get 0)))
)
(register "N" $N)
(assert_return (invoke $N "catch-imported" (i32.const 5)) (i32.const 2005))
(assert_return (invoke $N "local-not-matched" (i32.const 5)) (i32.const -1))

;; exceptions thrown by N with M's tag are M's
(module $P
  (import "M" "e" (tag $e (param i32)))
  (import "N" "throw-e" (func $throw-e (param i32)))
  (import "N" "throw-local" (func $throw-local (param i32)))
  (import "N" "local" (tag $nl (param i32)))
  (func (export "p") (param i32) (result i32)
    (try (result i32)
      (do
        (if (local.get 0) (then (call $throw-local (i32.const 3))) (else (call $throw-e (i32.const 4))))
        (i32.const 0))
      (catch $e (i32.const 10) (i32.add))
      (catch $nl (i32.const 20) (i32.add))))
)
(assert_return (invoke $P "p" (i32.const 0)) (i32.const 14))
(assert_return (invoke $P "p" (i32.const 1)) (i32.const 23))
(assert_exception (invoke $M "throw" (i32.const 1)))

;; import type must match exactly
(assert_unlinkable
  (module (import "M" "e" (tag (param i64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "M" "e" (tag)))
  "incompatible import type")
(assert_unlinkable
  (module (import "M" "throw" (tag (param i32))))
  "incompatible import type")
(assert_unlinkable
  (module (import "M" "missing" (tag)))
  "unknown import")
