;; Declares an i32 result and leaves nothing: the validator refuses it
;; (built with wat2wasm --no-check).
(module (func (export "f") (result i32)))
