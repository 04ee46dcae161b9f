#!/bin/sh
# `ward vault` and `ward run --vault` end to end: init with a key file and
# with a passphrase on a descriptor, secrets and their versions, rules by
# module, signer and level (signed modules under --trust/--policy), the C
# guest storing and fetching a token and being denied (and audited) first,
# the audit log shown and verified, then edited with the sqlite3 CLI and
# caught; no secret in the database or its WAL.
# usage: vault_cli.sh WARD BUILD_DIR (with vault_guest.wasm)
. "$(dirname "$0")/../cli_test_lib.sh"
SECRET="sk-cli-5e1f0c3a9b7d2468-DONOTLEAK"
TOKEN="tok_live_9f8e7d6c5b4a3210" # the guest's (vault_guest.c)

# ---- keys ------------------------------------------------------------------
head -c 32 /dev/urandom > key
head -c 31 /dev/urandom > short.key
V="$WARD vault --db v.db --key-file key"
expect 2 "db FILE is needed" "$WARD" vault init --key-file key
expect 1 "31 bytes" "$WARD" vault --db v.db --key-file short.key init
# a failed init leaves no empty database behind (regression)
if [ -e v.db ] || [ -e v.db-wal ]; then bad "a failed init left v.db behind"; else ok; fi
expect 0 "vault initialised" $V init
expect 1 "already" $V init
hex key > key.hex
expect 0 "" "$WARD" vault --db v.db --key-file key.hex list
head -c 32 /dev/urandom > wrong.key
expect 1 "wrong key" "$WARD" vault --db v.db --key-file wrong.key list
expect 1 "stdin is not a terminal" "$WARD" vault --db v.db list
printf 'open sesame\n' > pass
expect 0 "vault initialised" "$WARD" vault --db p.db --kdf-ops 1 --kdf-mem 65536 --passphrase-fd 3 init 3<pass
printf '%s' "$SECRET" > secret.txt
expect 0 "version 1" "$WARD" vault --db p.db --passphrase-fd 3 put db/pw --value-file secret.txt 3<pass
expect 0 "$SECRET" "$WARD" vault --db p.db --passphrase-fd 3 get db/pw 3<pass
printf 'open sesamE\n' > wrongpass
expect 1 "wrong passphrase" "$WARD" vault --db p.db --passphrase-fd 3 get db/pw 3<wrongpass
expect 1 "not a key file" "$WARD" vault --db p.db --key-file key get db/pw

# ---- secrets -----------------------------------------------------------------
printf '%s' "$SECRET" | $V put api/token >out 2>&1 && grep -q "api/token version 1" out && ok || bad "put from stdin: $(cat out)"
printf 'second' > second.txt
expect 0 "version 2" $V put api/token --value-file second.txt
$V get api/token > got && [ "$(cat got)" = "second" ] && ok || bad "get latest"
$V get api/token --version 1 > got && [ "$(cat got)" = "$SECRET" ] && ok || bad "get version 1"
expect 1 "no version 7" $V get api/token --version 7
expect 0 "deleted at version 3" $V delete api/token
expect 1 "deleted at version 3" $V get api/token
expect 1 "deleted already" $V delete api/token
expect 0 "" $V put db/user --value-file second.txt
expect 0 "db/user" $V list
expect 0 "db/user" $V list db/
$V list > out; grep -q "api/token" out && bad "a deleted name is listed" || ok
expect 0 "deleted" $V history api/token
[ "$($V history api/token | wc -l)" = 3 ] && ok || bad "history has 3 versions"
expect 2 "name" $V put "bad name" --value-file second.txt
head -c 1048577 /dev/zero | $V put big >out 2>&1; [ $? = 2 ] && grep -q "over 1048576 bytes" out && ok || bad "oversized value: $(cat out)"
head -c 1048576 /dev/zero | $V put big >/dev/null && [ "$($V get big | wc -c)" = 1048576 ] && ok || bad "1 MiB value"
expect 2 "unknown command" $V frobnicate

# ---- the C guest through ward run --vault ------------------------------------
G="$B/vault_guest.wasm"
RUN="$WARD run --vault v.db --vault-key-file key"
expect 3 "put: denied" $RUN "$G" store
expect 0 "denied" "$WARD" vault --db v.db audit show
grep '"result":"denied"' out | grep -q "$(sha256sum "$G" | cut -c1-64)" && ok || bad "the denial names the module"
expect 126 "vault-key-file" "$WARD" run --vault v.db "$G" store
expect 0 "rule 1" $V allow api/ --read-write --module "$G"
expect 0 "stored version 4" $RUN "$G" store
expect 0 "the token stored" $RUN "$G" fetch
$V get api/token > got && [ "$(cat got)" = "$TOKEN" ] && ok || bad "the guest's token"
expect 0 "module:sha256:$(sha256sum "$G" | cut -c1-64)" $V rules
expect 0 "revoked" $V revoke 1
expect 3 "get: denied" $RUN "$G" fetch
expect 1 "no rule 1" $V revoke 1
expect 0 "rule 2" $V allow api/ --read --module "sha256:$(sha256sum "$G" | cut -c1-64)"
expect 0 "the token stored" $RUN "$G" fetch
expect 3 "put: denied" $RUN "$G" store
expect 2 "one of" $V allow api/ --read
expect 2 "read" $V allow api/ --module "$G"
expect 2 "unknown level" $V allow api/ --read --level root

# by signer and by level: signed copies run under --trust/--policy
"$WARD" keygen --public-key ent.pk --secret-key ent.sk >/dev/null || bad keygen
"$WARD" keygen --public-key com.pk --secret-key com.sk >/dev/null || bad keygen
cat > store.json <<JSON
{"version": 1, "keys": [
  {"name": "acme", "public_key": "$(hex ent.pk)", "level": "enterprise"},
  {"name": "bob", "public_key": "$(hex com.pk)", "level": "community"}]}
JSON
cat > policy.json <<JSON
{"version": 1, "levels": {
  "community": {"fuel": "unlimited", "max_memory_bytes": "unlimited", "timeout_ms": "unlimited",
    "max_threads": 0, "host_modules": ["wasi", "ward:vault"], "dirs": []},
  "enterprise": {"fuel": "unlimited", "max_memory_bytes": "unlimited", "timeout_ms": "unlimited",
    "max_threads": 0, "host_modules": ["wasi", "ward:vault"], "dirs": []}}}
JSON
"$WARD" sign -i "$G" -o guest_ent.wasm -k ent.sk >/dev/null || bad sign
"$WARD" sign -i "$G" -o guest_com.wasm -k com.sk >/dev/null || bad sign
TRUN="$RUN --trust store.json --policy policy.json"
expect 3 "get: denied" $TRUN guest_ent.wasm fetch
expect 0 "" $V allow api/ --read --signer ent.pk
expect 0 "the token stored" $TRUN guest_ent.wasm fetch
expect 3 "get: denied" $TRUN guest_com.wasm fetch
expect 0 "" $V allow api/token --read-write --level community
expect 0 "the token stored" $TRUN guest_com.wasm roundtrip
expect 3 "get: denied" $RUN guest_com.wasm fetch    # without --trust: untrusted
expect 0 "level:community" $V rules
expect 0 '"level":"enterprise","signers":\["'"$(hex ent.pk | cut -c3-66)" "$WARD" vault --db v.db audit show

# ---- no plaintext on disk ------------------------------------------------------
for f in v.db v.db-wal p.db p.db-wal; do
    [ -f "$f" ] || continue
    grep -q -a -- "$SECRET" "$f" && bad "$f holds the secret"
    grep -q -a -- "$TOKEN" "$f" && bad "$f holds the guest's token"
    grep -q -a -- "open sesame" "$f" && bad "$f holds the passphrase"
    grep -q -a -F -- "$(cat key.hex)" "$f" && bad "$f holds the key in hex"
done
ok

# ---- the audit log -----------------------------------------------------------------
expect 0 "intact (no key" "$WARD" vault --db v.db audit verify
expect 0 "intact (head MAC checked)" "$WARD" vault --db v.db --key-file key audit verify
expect 0 '"op":"allow","name":"api/"' "$WARD" vault --db v.db audit show
grep -q -- "$SECRET" out && bad "a value in the audit log" || ok
cp v.db edited.db
[ -f v.db-wal ] && cp v.db-wal edited.db-wal
sqlite3 edited.db "UPDATE dag_node SET payload = CAST(replace(CAST(payload AS TEXT), '\"denied\"', '\"ok\"') AS BLOB)
  WHERE row = (SELECT min(row) FROM dag_node WHERE CAST(payload AS TEXT) LIKE '%denied%')" || bad "sqlite3 edit"
expect 1 "edited" "$WARD" vault --db edited.db audit verify
expect 1 "DAMAGED" "$WARD" vault --db edited.db audit verify
cp v.db removed.db
[ -f v.db-wal ] && cp v.db-wal removed.db-wal
sqlite3 removed.db "DELETE FROM dag_edge WHERE child = 5; DELETE FROM dag_node WHERE row = 5" || bad "sqlite3 delete"
expect 1 "missing" "$WARD" vault --db removed.db audit verify

# ---- rollback of the whole file: caught only against a head kept elsewhere ----
cp v.db old.db
[ -f v.db-wal ] && cp v.db-wal old.db-wal
expect 0 "^head: [0-9a-f]\{64\} (entry " "$WARD" vault --db old.db audit verify
old_head=$(sed -n 's/^head: \([0-9a-f]*\) .*/\1/p' out)
printf 'newer' | "$WARD" vault --db v.db --key-file key put rollback/probe > /dev/null || bad "put after the copy"
expect 0 "^head: " "$WARD" vault --db v.db --key-file key audit verify
new_head=$(sed -n 's/^head: \([0-9a-f]*\) .*/\1/p' out)
[ -n "$old_head" ] && [ "$old_head" != "$new_head" ] && ok || bad "heads $old_head and $new_head"
# the current file holds both heads; the old copy, genuine as it is, not the new one
expect 0 "intact (head MAC checked)" "$WARD" vault --db v.db --key-file key audit verify --since "$old_head"
expect 0 "intact" "$WARD" vault --db v.db audit verify --since "$new_head"
expect 0 "intact (head MAC checked)" "$WARD" vault --db old.db --key-file key audit verify
expect 1 "rolled back: the log does not pass through this entry" \
    "$WARD" vault --db old.db --key-file key audit verify --since "$new_head"
expect 1 "DAMAGED" "$WARD" vault --db old.db audit verify --since "$new_head"
expect 2 "--since needs an entry id" "$WARD" vault --db v.db audit verify --since xyz

echo "vault_cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
