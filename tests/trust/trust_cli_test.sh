#!/bin/sh
# End to end: keys, signed modules, a trust store and a policy drive
# `ward run`: levels pick limits and linkable host modules; tampered
# modules and bad policies are refused.
# usage: trust_cli_test.sh WARD BUILD_DIR (with hello.wasm crypto.wasm busy.wasm)
. "$(dirname "$0")/../cli_test_lib.sh"

for k in ent pub com stranger; do "$WARD" keygen --public-key $k.pk --secret-key $k.sk || bad keygen; done
mkdir -p data/inner other
cat > store.json <<JSON
{
  "version": 1,
  "keys": [
    {"name": "acme-release", "public_key": "$(hex ent.pk)", "level": "enterprise"},
    {"name": "bob", "public_key": "$(hex com.pk)", "level": "community"}
  ]
}
JSON
level() { # NAME FUEL MEMORY TIMEOUT THREADS MODULES DIRS
    printf '    "%s": {"fuel": %s, "max_memory_bytes": %s, "timeout_ms": %s, "max_threads": %s,\n' "$1" "$2" "$3" "$4" "$5"
    printf '      "host_modules": [%s], "dirs": [%s]}' "$6" "$7"
}
{
    echo '{'
    echo '  "version": 1,'
    echo '  "levels": {'
    level untrusted 100000 16777216 5000 0 '"wasi"' ''; echo ,
    level community 10000000 67108864 10000 0 '"wasi"' ''; echo ,
    level enterprise '"unlimited"' '"unlimited"' '"unlimited"' 16 '"wasi", "ward:crypto", "ward:tee"' "\"$T/data\""
    echo; echo '  }'; echo '}'
} > policy.json
RUN="$WARD run --trust store.json --policy policy.json"

"$WARD" sign -i "$B/hello.wasm" -o hello_ent.wasm -k ent.sk || bad sign
"$WARD" sign -i "$B/crypto.wasm" -o crypto_com.wasm -k com.sk || bad sign
"$WARD" sign -i "$B/crypto.wasm" -o crypto_ent.wasm -k ent.sk || bad sign
"$WARD" sign -i "$B/busy.wasm" -o busy_ent.wasm -k ent.sk || bad sign
"$WARD" sign -i "$B/busy.wasm" -o busy_stranger.wasm -k stranger.sk || bad sign
"$WARD" sign -i "$B/busy.wasm" -o busy_pub.wasm -k pub.sk || bad sign
"$WARD" sign -i busy_ent.wasm -o busy_ent_com.wasm -k com.sk || bad sign

# an enterprise module runs, with WASI and its directory
expect 0 "trusted hello" $RUN hello_ent.wasm
expect 0 "trusted hello" $RUN --dir "$T/data/inner::/d" hello_ent.wasm
expect 126 "--dir $T/other is not allowed at trust level enterprise" $RUN --dir "$T/other" hello_ent.wasm
# community may not link ward:crypto: refused naming the import and the level
expect 126 "import ward:crypto.sha256: host module ward:crypto is not allowed at trust level community" \
    $RUN crypto_com.wasm
# the unsigned module is untrusted: same refusal at its level
expect 126 "import ward:crypto.sha256: host module ward:crypto is not allowed at trust level untrusted" \
    $RUN "$B/crypto.wasm"
# enterprise may link ward:crypto (and WASI): it runs
if "$WARD" --help | grep -q -- "--seed"; then
    expect 0 "" $RUN crypto_ent.wasm
fi
# unsigned, and signed by an unknown key: untrusted limits (100,000 fuel, 16 MiB)
expect 134 "out of fuel" $RUN --invoke spin "$B/busy.wasm"
expect 134 "out of fuel" $RUN --invoke spin busy_stranger.wasm
expect 0 "^-1$" $RUN --invoke grow "$B/busy.wasm"
# enterprise: no fuel limit, no memory limit
expect 0 "^1000000$" $RUN --invoke spin busy_ent.wasm
expect 0 "^1$" $RUN --invoke grow busy_ent.wasm
# a stricter --fuel on the command line still holds
expect 134 "out of fuel" $RUN --fuel 1000 --invoke spin busy_ent.wasm
# community and enterprise signatures: the highest level wins
expect 0 "^1$" $RUN --invoke grow busy_ent_com.wasm
# a level the policy leaves out does not run (publisher: key not in the store, so
# untrusted here; a store naming it publisher makes the policy's silence matter)
sed 's/"bob"/"pat", "public_key": "'"$(hex pub.pk)"'", "level": "publisher"}, {"name": "bob"/' store.json > store2.json
expect 126 "gives no rules for trust level publisher" "$WARD" run --trust store2.json --policy policy.json --invoke spin busy_pub.wasm
# tampered after signing: refused before instantiation (nothing printed by the guest)
cp hello_ent.wasm tampered.wasm
size=$(wc -c < tampered.wasm)
printf 'X' | dd of=tampered.wasm bs=1 seek=$((size - 3)) conv=notrunc 2>/dev/null
expect 126 "module refused: signed by acme-release (enterprise) but changed after signing" $RUN tampered.wasm
grep -q "hello" out && bad "tampered module ran" || ok
# a damaged signature section is refused too, never run as untrusted
cp hello_ent.wasm badsig.wasm
printf '\002' | dd of=badsig.wasm bs=1 seek=20 conv=notrunc 2>/dev/null
expect 126 "module refused: unknown version: offset 0x14: unknown spec_version 0x02" $RUN badsig.wasm
# a detached signature (--signature-file) gives the module its signer's level:
# without it the same bytes are untrusted; a signature of other bytes, or a
# damaged one, is refused; --signature-file alone has nothing to check it
"$WARD" sign -i "$B/busy.wasm" -o busy_plain.wasm -k ent.sk --signature-file busy.sig || bad sign
cmp -s busy_plain.wasm "$B/busy.wasm" && ok || bad "a detached signing changed the module"
expect 0 "^1$" $RUN --signature-file busy.sig --invoke grow busy_plain.wasm
expect 0 "^-1$" $RUN --invoke grow busy_plain.wasm
cp busy_plain.wasm busy_changed.wasm
size=$(wc -c < busy_changed.wasm)
printf 'X' | dd of=busy_changed.wasm bs=1 seek=$((size - 3)) conv=notrunc 2>/dev/null
expect 126 "module refused: signed by acme-release (enterprise) but changed after signing" \
    $RUN --signature-file busy.sig --invoke grow busy_changed.wasm
expect 126 "the module has an embedded signature section and a detached signature was given" \
    $RUN --signature-file busy.sig hello_ent.wasm
head -c 20 busy.sig > short.sig
expect 126 "module refused:" $RUN --signature-file short.sig --invoke grow busy_plain.wasm
expect 126 "cannot open\|No such file" $RUN --signature-file missing.sig --invoke grow busy_plain.wasm
expect 126 "needs --trust STORE --policy POLICY" "$WARD" run --signature-file busy.sig --invoke grow busy_plain.wasm
# policy and store errors: one line naming the file and the field
sed 's/"fuel": 100000,/"fule": 100000,/' policy.json > typo.json
expect 126 "typo.json: levels.untrusted.fule: unknown field" "$WARD" run --trust store.json --policy typo.json "$B/busy.wasm"
sed 's/"community"/"comunity"/' policy.json > level.json
expect 126 "level.json: levels.comunity: unknown level" "$WARD" run --trust store.json --policy level.json "$B/busy.wasm"
sed 's/"fuel": 100000,/"fuel": "lots",/' policy.json > type.json
expect 126 "type.json: levels.untrusted.fuel: must be a whole number" "$WARD" run --trust store.json --policy type.json "$B/busy.wasm"
sed 's/"public_key": "01/"public_key": "02/' store.json > badkey.json
expect 126 "badkey.json: keys\[0\].public_key: .*type byte 0x02" "$WARD" run --trust badkey.json --policy policy.json "$B/busy.wasm"
expect 126 "go together" "$WARD" run --trust store.json "$B/busy.wasm"
expect 126 "" "$WARD" run --trust store.json --policy missing.json "$B/busy.wasm"

# the policy a run enforces is measured: register 1's event (the log's
# second, after "module") holds the policy file's SHA-256 (docs/measurement.md)
if "$WARD" --help | grep -q "quote verify"; then
    expect 0 "trusted hello" $RUN --measure-log m.log hello_ent.wasm
    logged=$(od -An -v -tx1 -j 52 -N 34 m.log | tr -d ' \n')
    want="0106$(sha256sum policy.json | cut -c1-64)"
    [ "$logged" = "$want" ] && ok || bad "register 1 event $logged, not $want"
    expect 0 "trusted hello" "$WARD" run --measure-log m0.log hello_ent.wasm
    logged=$(od -An -v -tx1 -j 52 -N 34 m0.log | tr -d ' \n')
    want="0109$(printf '' | sha256sum | cut -c1-64)"
    [ "$logged" = "$want" ] && ok || bad "no-policy register 1 event $logged, not $want"
fi

echo "trust_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
