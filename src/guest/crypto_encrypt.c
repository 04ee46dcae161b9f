/*
 * ward:crypto encryption: XChaCha20-Poly1305-IETF with associated data,
 * and X25519 sealed boxes.  Keys and nonces are copied to the host stack
 * (and wiped) so an output range may cover them; a message or associated
 * data that overlaps the output is copied first (wguest_input): libsodium
 * allows only exact aliasing, and a sealed box writes its ephemeral key
 * before reading the message.
 */
#include <string.h>

#include "crypto_internal.h"

typedef struct aead_args {
    uint8_t *out;
    const uint8_t *in, *ad;
    uint32_t inlen, adlen;
    uint64_t outlen;
    uint8_t nonce[WCRYPTO_AEAD_NONCE_BYTES];
    uint8_t key[WCRYPTO_AEAD_KEY_BYTES];
} aead_args;

/* (out, in, inlen, ad, adlen, nonce, key): the spans, or false with *trap. */
static bool aead_spans(ward_caller *caller, const ward_val *args, aead_args *a, ward_trap *trap)
{
    a->out = wguest_span(caller, wguest_u32(args, 0), a->outlen, trap);
    a->in = a->out ? wguest_span(caller, wguest_u32(args, 1), a->inlen, trap) : NULL;
    a->ad = a->in ? wguest_span(caller, wguest_u32(args, 3), a->adlen, trap) : NULL;
    const uint8_t *nonce = a->ad ? wguest_span(caller, wguest_u32(args, 5), sizeof a->nonce, trap) : NULL;
    const uint8_t *key = nonce ? wguest_span(caller, wguest_u32(args, 6), sizeof a->key, trap) : NULL;
    if (!key)
        return false;
    memcpy(a->nonce, nonce, sizeof a->nonce);
    memcpy(a->key, key, sizeof a->key);
    return true;
}

/* Run the primitive with in and ad made safe from out; the result code. */
static int32_t aead_run(aead_args *a, bool encrypt)
{
    const uint8_t *in, *ad;
    uint8_t *in_copy, *ad_copy = NULL;
    int32_t rc = WARD_CRYPTO_ENOMEM;
    if (wguest_input(a->in, a->inlen, a->out, a->outlen, &in, &in_copy) &&
        wguest_input(a->ad, a->adlen, a->out, a->outlen, &ad, &ad_copy)) {
        rc = WARD_CRYPTO_OK;
        if (encrypt)
            wcrypto_aead_encrypt(a->out, in, a->inlen, ad, a->adlen, a->nonce, a->key);
        else if (wcrypto_aead_decrypt(a->out, in, a->inlen, ad, a->adlen, a->nonce, a->key) != 0)
            rc = WARD_CRYPTO_EAUTH;
    }
    wguest_drop(in_copy, a->inlen);
    wguest_drop(ad_copy, a->adlen);
    wcrypto_wipe(a->key, sizeof a->key);
    return rc;
}

/* aead_encrypt(out, in, inlen, ad, adlen, nonce, key): out has inlen + 16 bytes */
ward_result wcg_aead_encrypt(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    (void)env;
    aead_args a = {.inlen = wguest_u32(args, 2), .adlen = wguest_u32(args, 4)};
    if (!wcg_charge(caller, WCG_AEAD_ENCRYPT, (uint64_t)a.inlen + a.adlen, 0, trap))
        return WARD_TRAP;
    a.outlen = (uint64_t)a.inlen + WCRYPTO_AEAD_TAG_BYTES;
    if (!aead_spans(caller, args, &a, trap))
        return WARD_TRAP;
    return wguest_ret(results, aead_run(&a, true));
}

/* aead_decrypt(out, in, inlen, ad, adlen, nonce, key): out has inlen - 16 bytes */
ward_result wcg_aead_decrypt(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    (void)env;
    aead_args a = {.inlen = wguest_u32(args, 2), .adlen = wguest_u32(args, 4)};
    if (!wcg_charge(caller, WCG_AEAD_DECRYPT, (uint64_t)a.inlen + a.adlen, 0, trap))
        return WARD_TRAP;
    if (a.inlen < WCRYPTO_AEAD_TAG_BYTES)
        return wguest_ret(results, WARD_CRYPTO_EINVAL);
    a.outlen = a.inlen - WCRYPTO_AEAD_TAG_BYTES;
    if (!aead_spans(caller, args, &a, trap))
        return WARD_TRAP;
    return wguest_ret(results, aead_run(&a, false));
}

/* The box, with its ephemeral key from the OS source or, in deterministic
 * mode, from the next 32 bytes of the seeded stream (as random_bytes would
 * draw them), so every node seals the same bytes. */
static int seal(ward_crypto *c, uint8_t *out, const uint8_t *msg, size_t len, const uint8_t *pk)
{
    if (!c->deterministic)
        return wcrypto_box_seal(out, msg, len, pk);
    uint8_t eseed[WCRYPTO_BOX_SEED_BYTES];
    wcrypto_stream_read(&c->stream, eseed, sizeof eseed);
    int rc = wcrypto_box_seal_from_seed(out, msg, len, pk, eseed);
    wcrypto_wipe(eseed, sizeof eseed);
    return rc;
}

/* box_seal(out, in, inlen, pk): out has inlen + 48 bytes */
ward_result wcg_box_seal(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                         ward_trap *trap)
{
    uint32_t inlen = wguest_u32(args, 2);
    if (!wcg_charge(caller, WCG_BOX_SEAL, inlen, 0, trap))
        return WARD_TRAP;
    uint64_t outlen = (uint64_t)inlen + WCRYPTO_SEAL_BYTES;
    uint8_t *out = wguest_span(caller, wguest_u32(args, 0), outlen, trap);
    const uint8_t *in = out ? wguest_span(caller, wguest_u32(args, 1), inlen, trap) : NULL;
    const uint8_t *pk_in = in ? wguest_span(caller, wguest_u32(args, 3), WCRYPTO_BOX_PK_BYTES, trap) : NULL;
    if (!pk_in)
        return WARD_TRAP;
    uint8_t pk[WCRYPTO_BOX_PK_BYTES];
    memcpy(pk, pk_in, sizeof pk);
    const uint8_t *msg;
    uint8_t *copy;
    if (!wguest_input(in, inlen, out, outlen, &msg, &copy))
        return wguest_ret(results, WARD_CRYPTO_ENOMEM);
    int rc = seal(env, out, msg, inlen, pk);
    wguest_drop(copy, inlen);
    return wguest_ret(results, rc == 0 ? WARD_CRYPTO_OK : WARD_CRYPTO_EINVAL);
}

/* box_seal_open(out, in, inlen, pk, sk): out has inlen - 48 bytes */
ward_result wcg_box_seal_open(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                              ward_trap *trap)
{
    (void)env;
    uint32_t inlen = wguest_u32(args, 2);
    if (!wcg_charge(caller, WCG_BOX_SEAL_OPEN, inlen, 0, trap))
        return WARD_TRAP;
    if (inlen < WCRYPTO_SEAL_BYTES)
        return wguest_ret(results, WARD_CRYPTO_EINVAL);
    uint64_t outlen = inlen - WCRYPTO_SEAL_BYTES;
    uint8_t *out = wguest_span(caller, wguest_u32(args, 0), outlen, trap);
    const uint8_t *in = out ? wguest_span(caller, wguest_u32(args, 1), inlen, trap) : NULL;
    const uint8_t *pk_in = in ? wguest_span(caller, wguest_u32(args, 3), WCRYPTO_BOX_PK_BYTES, trap) : NULL;
    const uint8_t *sk_in = pk_in ? wguest_span(caller, wguest_u32(args, 4), WCRYPTO_BOX_SK_BYTES, trap) : NULL;
    if (!sk_in)
        return WARD_TRAP;
    uint8_t pk[WCRYPTO_BOX_PK_BYTES], sk[WCRYPTO_BOX_SK_BYTES];
    memcpy(pk, pk_in, sizeof pk);
    memcpy(sk, sk_in, sizeof sk);
    const uint8_t *box;
    uint8_t *copy;
    int32_t rc = WARD_CRYPTO_ENOMEM;
    if (wguest_input(in, inlen, out, outlen, &box, &copy))
        rc = wcrypto_box_seal_open(out, box, inlen, pk, sk) == 0 ? WARD_CRYPTO_OK : WARD_CRYPTO_EAUTH;
    wguest_drop(copy, inlen);
    wcrypto_wipe(sk, sizeof sk);
    return wguest_ret(results, rc);
}
