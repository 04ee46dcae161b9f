/* Ed25519 keys in Signatures.md's serialization, and their files. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../host/file.h"
#include "sig_internal.h"

bool ward_sig_keygen(ward_sig_public_key *pk, ward_sig_secret_key *sk)
{
    if (!pk || !sk || wcrypto_init() != 0)
        return false;
    wcrypto_sign_keypair(pk->key, sk->key);
    return true;
}

void ward_sig_secret_key_wipe(ward_sig_secret_key *sk)
{
    if (sk)
        wcrypto_wipe(sk->key, sizeof sk->key);
}

void ward_sig_secret_key_public(const ward_sig_secret_key *sk, ward_sig_public_key *pk)
{
    wcrypto_sign_sk_to_pk(pk->key, sk->key);
}

void ward_sig_public_key_to_bytes(const ward_sig_public_key *pk, uint8_t out[WARD_SIG_PUBLIC_KEY_BYTES])
{
    out[0] = WSIG_PK_TYPE;
    memcpy(out + 1, pk->key, sizeof pk->key);
}

void ward_sig_secret_key_to_bytes(const ward_sig_secret_key *sk, uint8_t out[WARD_SIG_SECRET_KEY_BYTES])
{
    out[0] = WSIG_SK_TYPE;
    memcpy(out + 1, sk->key, sizeof sk->key);
}

static bool key_shape(const uint8_t *bytes, size_t len, size_t want, uint8_t type, const char *what,
                      ward_sig_error *err)
{
    if (!bytes)
        return wsig_fail(err, WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_KEY, UINT64_MAX, "no %s", what);
    if (len != want)
        return wsig_fail(err, WARD_SIG_ERR_KEY, WARD_SIG_IN_KEY, UINT64_MAX, "%s of %zu bytes (must be %zu)", what,
                         len, want);
    if (bytes[0] != type)
        return wsig_fail(err, WARD_SIG_ERR_KEY, WARD_SIG_IN_KEY, 0, "%s type byte 0x%02x (must be 0x%02x)", what,
                         bytes[0], type);
    return true;
}

bool ward_sig_public_key_from_bytes(ward_sig_public_key *pk, const uint8_t *bytes, size_t len, ward_sig_error *err)
{
    wsig_clear(err);
    if (!pk || !key_shape(bytes, len, WARD_SIG_PUBLIC_KEY_BYTES, WSIG_PK_TYPE, "Ed25519 public key", err))
        return pk ? false : wsig_fail(err, WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_NONE, UINT64_MAX, "invalid argument");
    memcpy(pk->key, bytes + 1, sizeof pk->key);
    return true;
}

bool ward_sig_secret_key_from_bytes(ward_sig_secret_key *sk, const uint8_t *bytes, size_t len, ward_sig_error *err)
{
    wsig_clear(err);
    if (!sk || !key_shape(bytes, len, WARD_SIG_SECRET_KEY_BYTES, WSIG_SK_TYPE, "Ed25519 key pair", err))
        return sk ? false : wsig_fail(err, WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_NONE, UINT64_MAX, "invalid argument");
    if (wcrypto_init() != 0)
        return wsig_fail(err, WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_NONE, UINT64_MAX, "the crypto library cannot start");
    /* the public half must be the one the secret half derives */
    uint8_t pk[WCRYPTO_SIGN_PK_BYTES], derived[WCRYPTO_SIGN_SK_BYTES];
    wcrypto_sign_keypair_from_seed(pk, derived, bytes + 1);
    bool same = wcrypto_equal(pk, bytes + 1 + 32, sizeof pk);
    wcrypto_wipe(derived, sizeof derived);
    if (!same)
        return wsig_fail(err, WARD_SIG_ERR_KEY, WARD_SIG_IN_KEY, 33,
                         "Ed25519 key pair whose public key does not match its secret key");
    memcpy(sk->key, bytes + 1, sizeof sk->key);
    return true;
}

/* Prefix the message of a key error with the file's name. */
static bool name_file(ward_sig_error *err, const char *path)
{
    wsig_prefix(err, path);
    return false;
}

static uint8_t *read_key_file(const char *path, size_t *len, ward_sig_error *err)
{
    werror why;
    uint8_t *bytes = path ? wfile_read(path, len, &why) : NULL;
    if (!bytes)
        wsig_fail(err, path ? WARD_SIG_ERR_IO : WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_NONE, UINT64_MAX, "%s",
                  path ? why.msg : "no key file");
    return bytes;
}

bool ward_sig_public_key_load(ward_sig_public_key *pk, const char *path, ward_sig_error *err)
{
    size_t len;
    uint8_t *bytes = read_key_file(path, &len, err);
    if (!bytes)
        return false;
    bool ok = ward_sig_public_key_from_bytes(pk, bytes, len, err);
    free(bytes);
    return ok || name_file(err, path);
}

bool ward_sig_secret_key_load(ward_sig_secret_key *sk, const char *path, ward_sig_error *err)
{
    size_t len;
    uint8_t *bytes = read_key_file(path, &len, err);
    if (!bytes)
        return false;
    bool ok = ward_sig_secret_key_from_bytes(sk, bytes, len, err);
    wcrypto_wipe(bytes, len);
    free(bytes);
    return ok || name_file(err, path);
}

/* Write all of p to a new file (replacing one there) with `mode`. */
static bool write_file(const char *path, const uint8_t *p, size_t len, mode_t mode, ward_sig_error *err)
{
    /* unlink first: O_CREAT keeps an existing file's wider mode */
    if (unlink(path) != 0 && errno != ENOENT)
        return wsig_fail(err, WARD_SIG_ERR_IO, WARD_SIG_IN_NONE, UINT64_MAX, "%s: cannot replace: %s", path,
                         strerror(errno));
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return wsig_fail(err, WARD_SIG_ERR_IO, WARD_SIG_IN_NONE, UINT64_MAX, "%s: %s", path, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno;
            close(fd);
            return wsig_fail(err, WARD_SIG_ERR_IO, WARD_SIG_IN_NONE, UINT64_MAX, "%s: %s", path, strerror(e));
        }
        done += (size_t)n;
    }
    if (close(fd) != 0)
        return wsig_fail(err, WARD_SIG_ERR_IO, WARD_SIG_IN_NONE, UINT64_MAX, "%s: %s", path, strerror(errno));
    return true;
}

bool ward_sig_write_file(const char *path, const uint8_t *p, size_t len, ward_sig_error *err)
{
    return write_file(path, p, len, 0644, err);
}

bool ward_sig_keys_save(const ward_sig_public_key *pk, const char *pk_path, const ward_sig_secret_key *sk,
                        const char *sk_path, ward_sig_error *err)
{
    wsig_clear(err);
    if (!pk || !pk_path || !sk || !sk_path)
        return wsig_fail(err, WARD_SIG_ERR_ARGUMENT, WARD_SIG_IN_NONE, UINT64_MAX, "invalid argument");
    uint8_t pkb[WARD_SIG_PUBLIC_KEY_BYTES], skb[WARD_SIG_SECRET_KEY_BYTES];
    ward_sig_public_key_to_bytes(pk, pkb);
    ward_sig_secret_key_to_bytes(sk, skb);
    bool ok = write_file(sk_path, skb, sizeof skb, 0600, err) && write_file(pk_path, pkb, sizeof pkb, 0644, err);
    wcrypto_wipe(skb, sizeof skb);
    return ok;
}
