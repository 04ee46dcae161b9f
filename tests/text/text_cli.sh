#!/usr/bin/env bash
# ward and .wat files (docs/text.md): run, validate and the default command
# read text (chosen by the bytes: "\0asm" is binary), wat2wasm writes the
# binary, a malformed text names line, column and token.
# usage: text_cli.sh WARD BUILD_DIR SOURCE_DIR
. "$(dirname "$0")/../cli_test_lib.sh"
S=$3

cat >fib.txt <<'WAT'
(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2))))))))
WAT
# any file name: text is recognised by its bytes, not by ".wat"
expect 0 '^6765$' "$WARD" run --invoke fib fib.txt 20
cp fib.txt fib.wat
expect 0 '^6765$' "$WARD" --invoke fib fib.wat 20
expect 0 '^OK$' "$WARD" validate fib.wat
expect 0 '' "$WARD" wat2wasm fib.wat
[ "$(head -c 4 fib.wasm | od -An -tx1 | tr -d ' ')" = 0061736d ] && ok || bad "fib.wasm is not a binary module"
expect 0 '^6765$' "$WARD" run --invoke fib fib.wasm 20
expect 0 '' "$WARD" wat2wasm fib.wat -o other.wasm
cmp -s fib.wasm other.wasm && ok || bad "wat2wasm -o wrote different bytes"
"$WARD" wat2wasm fib.wat -o - >stdout.wasm 2>/dev/null
cmp -s fib.wasm stdout.wasm && ok || bad "wat2wasm -o - wrote different bytes"
# the shipped example, as text
expect 0 '^6765$' "$WARD" run --invoke fib "$S/../../examples/fib.wat" 20

printf '(module\n  (func (result i32)\n    i32.const 1\n    i32.ad))\n' >bad.wat
expect 2 "bad.wat: line 4, column 5: unknown operator 'i32.ad'" "$WARD" validate bad.wat
expect 126 "line 4, column 5" "$WARD" run bad.wat
expect 2 "line 4, column 5" "$WARD" wat2wasm bad.wat
[ ! -e bad.wasm ] && ok || bad "wat2wasm wrote output for malformed text"
# well-formed text, invalid module: the validator's error
printf '(module (func (result i32) (i64.const 1)))\n' >invalid.wat
expect 2 "type mismatch" "$WARD" validate invalid.wat
# ... and where in the text it is (the source map), for errors and traps
printf '(module\n  (func (result i32)\n    (i32.add (i32.const 1)\n             (f32.const 2))))\n' >mixed.wat
expect 2 "mixed.wat: line 3, column 6: function 0, offset 0x[0-9a-f]*: type mismatch" "$WARD" validate mixed.wat
expect 126 "line 3, column 6: function 0" "$WARD" run mixed.wat
printf '(module\n  (func $div (param i32) (result i32)\n    (i32.div_u (i32.const 7) (local.get 0)))\n  (func (export "_start") (drop (call $div (i32.const 0)))))\n' >trap.wat
expect 134 "trap: integer divide by zero in function 0 at offset 0x[0-9a-f]* (line 3, column 6)" "$WARD" run trap.wat
expect 134 "#1 function 1 at offset 0x[0-9a-f]* (line 4, column 34)" "$WARD" run trap.wat
"$WARD" wat2wasm trap.wat -o trap.wasm 2>/dev/null
"$WARD" run trap.wasm 2>&1 | grep -q "(line" && bad "a binary's trap names a line" || ok
expect 2 "usage: ward wat2wasm" "$WARD" wat2wasm
expect 2 "" "$WARD" wat2wasm missing.wat
expect 0 "wat2wasm" "$WARD" --help
expect 0 "0asm" "$WARD" --help

echo "text_cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
