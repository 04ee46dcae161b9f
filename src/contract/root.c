/*
 * The state root (docs/contracts.md, "State root"): a hash of a contract's
 * whole key/value set that is updated per written row instead of
 * recomputed over every row.  Each row (key, value) is hashed to a seed,
 * BLAKE2b-256(u64le(klen) || key || value), which keys a ChaCha20 stream whose
 * first 2048 bytes are read as 1024 little-endian 16-bit lanes; the
 * accumulator is the lane-wise sum of the rows' vectors mod 2^16 (a
 * lattice hash, "LtHash"): adding a row adds its vector, removing it
 * subtracts it, so the order of writes does not matter and a set has one
 * accumulator.  The root is BLAKE2b-256 of the accumulator's 2048 bytes.
 * BLAKE2b rather than SHA-256: libsodium's SHA-256 has no hardware path,
 * and these hashes were a third of a small call's time.
 */
#include <string.h>

#include "contract_internal.h"
#include "crypto/crypto.h"

enum { LANES = WDB_STATE_ACC_BYTES / 2 };

static void row_vector(const uint8_t *key, size_t klen, const uint8_t *value, size_t vlen,
                       uint8_t vec[WDB_STATE_ACC_BYTES])
{
    uint8_t len[8], seed[32];
    for (int i = 0; i < 8; i++)
        len[i] = (uint8_t)((uint64_t)klen >> (8 * i));
    wcrypto_hash h;
    wcrypto_hash_init(&h, WCRYPTO_BLAKE2B, 32, NULL, 0);
    wcrypto_hash_update(&h, len, sizeof len);
    wcrypto_hash_update(&h, key, klen);
    wcrypto_hash_update(&h, value, vlen);
    wcrypto_hash_final(&h, seed);
    wcrypto_stream s;
    wcrypto_stream_init(&s, seed);
    wcrypto_stream_read(&s, vec, WDB_STATE_ACC_BYTES);
}

void wroot_add(uint8_t acc[WDB_STATE_ACC_BYTES], const uint8_t *key, size_t klen, const uint8_t *value, size_t vlen,
               bool subtract)
{
    uint8_t vec[WDB_STATE_ACC_BYTES];
    row_vector(key, klen, value, vlen, vec);
    for (size_t i = 0; i < LANES; i++) {
        uint16_t a = (uint16_t)(acc[2 * i] | acc[2 * i + 1] << 8);
        uint16_t v = (uint16_t)(vec[2 * i] | vec[2 * i + 1] << 8);
        a = (uint16_t)(subtract ? a - v : a + v);
        acc[2 * i] = (uint8_t)a;
        acc[2 * i + 1] = (uint8_t)(a >> 8);
    }
}

void wroot_digest(const uint8_t acc[WDB_STATE_ACC_BYTES], uint8_t root[32])
{
    wcrypto_blake2b(root, 32, acc, WDB_STATE_ACC_BYTES, NULL, 0);
}

void wroot_memo_init(wroot_memo *m)
{
    pthread_mutex_init(&m->lock, NULL);
    m->valid = false;
}

void wroot_memo_free(wroot_memo *m)
{
    pthread_mutex_destroy(&m->lock);
}

void wroot_memo_digest(wroot_memo *m, const uint8_t acc[WDB_STATE_ACC_BYTES], uint8_t root[32])
{
    pthread_mutex_lock(&m->lock);
    bool hit = m->valid && memcmp(m->acc, acc, WDB_STATE_ACC_BYTES) == 0;
    if (hit)
        memcpy(root, m->root, 32);
    pthread_mutex_unlock(&m->lock);
    if (hit)
        return;
    wroot_digest(acc, root);
    pthread_mutex_lock(&m->lock);
    memcpy(m->acc, acc, WDB_STATE_ACC_BYTES);
    memcpy(m->root, root, 32);
    m->valid = true;
    pthread_mutex_unlock(&m->lock);
}
