/* A C guest of ward:tee (include/ward_guest_tee.h), built with clang
 * --target=wasm32-wasi and run by run_quote_cli.sh: extends register 8,
 * is refused register 0, seals and unseals, sees the blob refused once
 * register 8 moved, then prints a quote of registers 0, 1 and 8 with the
 * nonce "c-guest".  Each failed step exits with its own status. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ward_guest_tee.h"

int main(void)
{
    static const char nonce[] = "c-guest";
    uint8_t blob[16 + WARD_TEE_SEAL_OVERHEAD], out[16], r8[WARD_TEE_DIGEST_BYTES];
    uint8_t quote[WARD_TEE_QUOTE_MAX];
    if (ward_tee_extend(8, "hello", 5) != 0)
        return 10;
    if (ward_tee_extend(0, "forged", 6) != WARD_TEE_EPERM || ward_tee_extend(16, "x", 1) != WARD_TEE_EINVAL)
        return 11;
    int32_t n = ward_tee_seal(1u << 8, "secret", 6, blob, sizeof blob);
    if (n != 6 + WARD_TEE_SEAL_OVERHEAD)
        return 12;
    if (ward_tee_unseal(blob, (uint32_t)n, out, sizeof out) != 6 || memcmp(out, "secret", 6) != 0)
        return 13;
    if (ward_tee_extend(8, "more", 4) != 0 || ward_tee_read(8, r8) != 0)
        return 14;
    if (ward_tee_unseal(blob, (uint32_t)n, out, sizeof out) != WARD_TEE_EAUTH)
        return 15;
    if (ward_tee_quote(nonce, 7, 0x103, quote, 10) != WARD_TEE_ESPACE)
        return 16;
    int32_t len = ward_tee_quote(nonce, 7, 0x103, quote, sizeof quote);
    if (len != (int32_t)WARD_TEE_QUOTE_SIZE(7u, 3u))
        return 17;
    fwrite(quote, 1, (size_t)len, stdout);
    return 0;
}
