#!/bin/sh
# `ward run` on examples/crypto_guest.c: known answers, --seed determinism,
# a malformed seed, fuel.  Usage: crypto_cli.sh WARD crypto_guest.wasm
ward=$1
wasm=$2
failed=0
passed=0
check() { # NAME CONDITION-EXIT-STATUS
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi
}
out=$("$ward" run "$wasm"); check "runs" $?
echo "$out" | grep -qx "sha256(abc) ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; check sha256 $?
echo "$out" | grep -qx "blake2b-256(abc) bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"; check blake2b $?
echo "$out" | grep -qx "ed25519 pk d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"; check pk $?
echo "$out" | grep -qx "verify: valid"; check verify $?
echo "$out" | grep -qx "verify tampered: refused"; check tampered $?
seed=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
a=$("$ward" run --seed "$seed" "$wasm" | grep random); check "seeded run" $?
# the first 16 bytes of vectors.h KAT_STREAM_SEQ (ChaCha20 under that seed)
b=$("$ward" run --deterministic --seed "$seed" "$wasm" | grep random)
[ "$a" = "$b" ] && [ "$a" = "random 39fd2b7dd9c5196a8dbd0377b8dc4a49" ]; check "same seed, same bytes" $?
c=$("$ward" run --seed 100102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "$wasm" | grep random)
[ "$a" != "$c" ]; check "another seed, other bytes" $?
z=$("$ward" run --deterministic "$wasm" | grep random)
[ "$z" = "random 76b8e0ada0f13d90405d6ae55386bd28" ]; check "no seed: zero seed" $?
err=$("$ward" run --seed 0011zz "$wasm" 2>&1 >/dev/null); status=$?
[ $status -eq 126 ] && echo "$err" | grep -q "64 hex digits"; check "malformed seed" $?
"$ward" run --seed "${seed}00" "$wasm" >/dev/null 2>&1; [ $? -eq 126 ]; check "long seed" $?
err=$("$ward" run --fuel 20000 "$wasm" 2>&1 >/dev/null); status=$?
[ $status -eq 134 ] && echo "$err" | grep -q "out of fuel"; check "fuel" $?
echo "crypto_cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
