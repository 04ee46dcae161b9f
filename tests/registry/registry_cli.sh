#!/bin/sh
# End to end: `ward registry add|list|show|remove` and `ward run` of
# registry modules (by sha256:HEX, by name, through WARD_REGISTRY), the gas
# limit as fuel, signed modules' trust levels, and stored bytes edited with
# the sqlite3 tool refused on run and show.
# usage: registry_cli.sh WARD BUILD_DIR (with calc.wasm hello.wasm invalid.wasm)
. "$(dirname "$0")/../cli_test_lib.sh"
unset WARD_REGISTRY
sha() { sha256sum "$1" | cut -c1-64; }
R="$WARD registry --db reg.db"
CALC=sha256:$(sha "$B/calc.wasm")

# add: validated, stored under its hash with a name and a gas limit
expect 0 "^$CALC$" $R add "$B/calc.wasm" --name calc --gas-limit 1000
expect 0 "^gas limit: 1000$" $R show calc
expect 0 "^size: $(wc -c < "$B/calc.wasm") bytes$" $R show "$CALC"
expect 2 "the name \"calc\" is taken by sha256:" $R add "$B/hello.wasm" --name calc
expect 0 "^name: hello$" $R add "$B/hello.wasm" --name hello
expect 0 "^gas limit: 10000000$" $R show hello
# refused: an invalid module (the validator's message), a gas limit over the maximum, a taken name
expect 2 "invalid module: .*type mismatch" $R add "$B/invalid.wasm" --name broken
expect 2 "gas limit 100000001 is over the maximum of 100000000" $R add "$B/hello.wasm" --gas-limit 100000001
expect 2 "needs a count" $R add "$B/hello.wasm" --gas-limit 0
expect 2 "\"-x\" is not a module name" $R add "$B/hello.wasm" --name -x
expect 2 "cannot\|No such" $R add missing.wasm
expect 0 "" $R list
[ "$(wc -l < out)" = 2 ] || bad "list: $(cat out)"
grep -q "^$CALC	calc	1000	[0-9]*	unchecked$" out && ok || bad "list line: $(cat out)"
# the same again is nothing new; other metadata needs --update
expect 0 "^gas limit: 1000$" $R add "$B/calc.wasm" --name calc
expect 2 "already in the registry (as \"calc\", gas limit 1000)" $R add "$B/calc.wasm" --gas-limit 2000
expect 0 "^gas limit: 2000$" $R add "$B/calc.wasm" --gas-limit 2000 --update
expect 0 "^gas limit: 1000$" $R add "$B/calc.wasm" --gas-limit 1000 --update

# run by hash and by name; the gas limit is the fuel
expect 0 "^5$" "$WARD" run --registry reg.db --invoke add "$CALC" 2 3
expect 0 "^42$" "$WARD" run --registry reg.db --invoke add calc 40 2
expect 0 "^registry hello$" "$WARD" run --registry reg.db hello
expect 0 "^registry hello$" env WARD_REGISTRY=reg.db "$WARD" run hello
expect 0 "^7$" env WARD_REGISTRY=reg.db "$WARD" --invoke add "$CALC" 3 4
# a hash reference is enough for run to be implied; what follows it is the guest's
expect 126 "arguments need --invoke" env WARD_REGISTRY=reg.db "$WARD" "$CALC" --invoke add 3 4
expect 0 "^10$" "$WARD" run --registry reg.db --invoke spin calc 10
expect 134 "out of fuel" "$WARD" run --registry reg.db --invoke spin calc 100000
expect 134 "fuel consumed: 1000$" "$WARD" run --registry reg.db --stats --invoke spin calc 100000
expect 134 "fuel consumed: 1000$" "$WARD" run --registry reg.db --fuel 5000 --stats --invoke spin calc 100000
expect 134 "fuel consumed: 50$" "$WARD" run --registry reg.db --fuel 50 --stats --invoke spin calc 100000
# a file of that name wins over the registry; names unknown to both are refused
cp "$B/hello.wasm" calc
expect 0 "^registry hello$" "$WARD" run --registry reg.db calc
rm calc
expect 126 "nope: no such file, and no module of that name in the registry reg.db" "$WARD" run --registry reg.db nope
expect 126 "no module sha256:0000.* in the registry" "$WARD" run --registry reg.db \
    sha256:0000000000000000000000000000000000000000000000000000000000000000
expect 126 "must be followed by 64 hex digits" "$WARD" run --registry reg.db sha256:abc
expect 126 "give the registry with --registry DB" "$WARD" run "$CALC"
expect 126 "" "$WARD" run --registry missing.db hello
expect 126 "missing.wasm: no such file, and the registry cannot be opened" \
    env WARD_REGISTRY=missing.db "$WARD" run missing.wasm
[ ! -e missing.db ] && ok || bad "run created missing.db"

# signed modules: the trust level a store gives, and a change after signing refused
"$WARD" keygen --public-key pub.pk --secret-key pub.sk >/dev/null || bad keygen
cat > store.json <<JSON
{"version": 1, "keys": [{"name": "acme-release", "public_key": "$(hex pub.pk)", "level": "publisher"}]}
JSON
"$WARD" sign -i "$B/calc.wasm" -o calc_signed.wasm -k pub.sk || bad sign
"$WARD" sign -i "$B/hello.wasm" -o hello_hashed.wasm -k pub.sk --signature-file hello.sig || bad sign
expect 0 "^trust level: publisher$" $R add calc_signed.wasm --name signed-calc --trust store.json
expect 0 "^signer: acme-release $(hex pub.pk)$" $R show signed-calc
expect 0 "^signed: yes$" $R show signed-calc
expect 0 "^trust level: publisher$" $R add "$B/hello.wasm" --trust store.json --signature-file hello.sig --update
expect 2 "needs --trust STORE" $R add "$B/hello.wasm" --signature-file hello.sig
sed 's/add/adc/' calc_signed.wasm > calc_changed.wasm
expect 2 "signed by acme-release (publisher) but changed after signing" \
    $R add calc_changed.wasm --name changed --trust store.json
expect 2 "no module changed" $R show changed
expect 0 "publisher" $R list

# bytes edited in the file: refused on run and show, with the hashes
sqlite3 reg.db "UPDATE registry_module SET bytes = bytes || x'00' WHERE name = 'calc'" || bad sqlite3
expect 126 "calc: stored bytes hash to [0-9a-f]*, not $(sha "$B/calc.wasm")" \
    "$WARD" run --registry reg.db --invoke add calc 1 2
expect 126 "stored bytes hash to" "$WARD" run --registry reg.db --invoke add "$CALC" 1 2
expect 2 "stored bytes hash to" $R show calc
expect 0 "^registry hello$" "$WARD" run --registry reg.db hello

# remove by name and by hash
expect 0 "^removed $CALC calc$" $R remove calc
expect 2 "no module calc in the registry" $R remove calc
expect 0 "^removed sha256:" $R remove "sha256:$(sha calc_signed.wasm)"
expect 0 "" $R list
[ "$(wc -l < out)" = 1 ] && grep -q "	hello	" out && ok || bad "list after remove: $(cat out)"
expect 2 "which database" "$WARD" registry list
expect 2 "" $R frobnicate

echo "registry_cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
