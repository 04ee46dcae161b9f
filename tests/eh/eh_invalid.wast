;; Validation and decoding of the legacy exception-handling proposal.
(assert_invalid (module (tag (result i32))) "non-empty tag result type")
(assert_invalid (module (type (func (param i32) (result i32))) (tag (type 0))) "non-empty tag result type")
(assert_invalid (module (func (throw 0))) "unknown tag")
(assert_invalid (module (func (try (do) (catch 0)))) "unknown tag")
(assert_invalid (module (tag) (func (rethrow 0))) "invalid rethrow label")
(assert_invalid (module (tag) (func (block (rethrow 0)))) "invalid rethrow label")
(assert_invalid (module (tag) (func (try (do (rethrow 0)) (catch 0)))) "invalid rethrow label")
(assert_invalid (module (tag) (func (try (do) (catch 0 (rethrow 1))))) "unknown label")
(assert_invalid (module (func (try (do) (delegate 1)))) "unknown label")
(assert_invalid (module (tag (param i32)) (func (throw 0))) "type mismatch")
(assert_invalid (module (tag (param i32)) (func (i64.const 0) (throw 0))) "type mismatch")
(assert_invalid (module (func (result i32) (try (result i32) (do)))) "type mismatch")
(assert_invalid (module (func (result i32) (try (result i32) (do (i32.const 0)) (catch_all)))) "type mismatch")
(assert_invalid (module (tag (param i64)) (func (result i32) (try (result i32) (do (i32.const 0)) (catch 0)))) "type mismatch")
(assert_invalid (module (tag) (func (try (do (i32.const 0)) (catch 0)))) "type mismatch")
(assert_invalid (module (export "e" (tag 0))) "unknown tag")

;; throw is stack-polymorphic; catch bodies get the tag's params
(module
  (tag $e (param i32 i64))
  (func (result f64) (i32.const 1) (i64.const 2) (throw $e))
  (func (result i32) (throw $e (i32.const 1) (i64.const 2)) (i32.add))
  (func (result i64) (local i64)
    (try (result i64) (do (i64.const 0)) (catch $e (local.set 0) (drop) (local.get 0)))
    (drop) (i64.const 1))
  (func (local i32)
    (try (do) (catch $e (drop) (local.set 0)) (catch_all (rethrow 0)))))

;; a tag section: id 13, between memory and global
(module binary
  "\00asm" "\01\00\00\00"
  "\01\05\01\60\01\7f\00"        ;; type 0: (func (param i32))
  "\05\03\01\00\01"              ;; memory 1
  "\0d\03\01\00\00"              ;; tag section: one tag, attribute 0, type 0
  "\06\06\01\7f\00\41\00\0b"     ;; global i32 (i32.const 0)
)
(assert_malformed (module binary
  "\00asm" "\01\00\00\00"
  "\01\04\01\60\00\00"
  "\06\06\01\7f\00\41\00\0b"     ;; global section
  "\0d\03\01\00\00"              ;; tag section after it
) "unexpected content after last section")
(assert_malformed (module binary
  "\00asm" "\01\00\00\00"
  "\01\04\01\60\00\00"
  "\0d\03\01\00\00"
  "\05\03\01\00\01"              ;; memory after tags
) "unexpected content after last section")
(assert_malformed (module binary
  "\00asm" "\01\00\00\00"
  "\01\04\01\60\00\00"
  "\0d\03\01\01\00"              ;; attribute 1
) "malformed tag attribute")
(assert_malformed (module binary
  "\00asm" "\01\00\00\00"
  "\01\04\01\60\00\00"
  "\0d\03\02\00\00"              ;; two tags, bytes for one
) "unexpected end")
(assert_malformed (module binary
  "\00asm" "\01\00\00\00"
  "\01\04\01\60\00\00"
  "\0d\03\01\00\00" "\0d\03\01\00\00"  ;; twice
) "unexpected content after last section")
(assert_invalid (module binary
  "\00asm" "\01\00\00\00"
  "\01\04\01\60\00\00"
  "\0d\03\01\00\05"              ;; type 5 does not exist
) "unknown type")
;; a tag import (kind 4) and export
(module (tag (export "e")))
(register "M")
(module binary
  "\00asm" "\01\00\00\00"
  "\01\04\01\60\00\00"
  "\02\08\01\01\4d\01\65\04\00\00"  ;; import "M" "e" (tag (type 0))
  "\07\05\01\01\66\04\00"           ;; export "f" (tag 0)
)
