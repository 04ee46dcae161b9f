/*
 * A C guest of ward:vault (docs/vault.md): stores an API token and fetches
 * it back, as a service would at start-up.  Built with clang
 * --target=wasm32-wasi; argv[1] picks what it does:
 *   store      put api/token, print its version
 *   fetch      get it (first into a buffer too small, to learn its length),
 *              check it is the token stored
 *   roundtrip  both (the default)
 *   delete     delete it, then check a get says deleted
 * Exit 0 when all went as expected, 3 when the vault refused (denied),
 * 1 otherwise.  The token is never printed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ward_guest.h"

static const char name[] = "api/token";
static const char token[] = "tok_live_9f8e7d6c5b4a3210";

static int refused(const char *what, int32_t rc)
{
    if (rc == WARD_VAULT_EDENIED) {
        printf("%s: denied (%d)\n", what, (int)rc);
        return 3;
    }
    printf("%s: error %d\n", what, (int)rc);
    return 1;
}

static int store(void)
{
    int32_t v = ward_vault_put(name, sizeof name - 1, token, sizeof token - 1);
    if (v < 0)
        return refused("put", v);
    printf("stored version %d\n", (int)v);
    return 0;
}

static int fetch(void)
{
    char small[4];
    uint32_t len = 0;
    int32_t rc = ward_vault_get(name, sizeof name - 1, small, sizeof small, &len);
    if (rc != WARD_VAULT_ESPACE)
        return refused("get", rc);
    char buf[64];
    if (len > sizeof buf) {
        printf("get: %u bytes is longer than the token\n", (unsigned)len);
        return 1;
    }
    rc = ward_vault_get(name, sizeof name - 1, buf, len, &len);
    if (rc < 0)
        return refused("get", rc);
    bool same = len == sizeof token - 1 && memcmp(buf, token, len) == 0;
    memset(buf, 0, sizeof buf);
    printf("fetched version %d: %s\n", (int)rc, same ? "the token stored" : "NOT the token stored");
    return same ? 0 : 1;
}

static int delete(void)
{
    int32_t v = ward_vault_delete(name, sizeof name - 1);
    if (v < 0)
        return refused("delete", v);
    uint32_t len = 0;
    char buf[64];
    int32_t rc = ward_vault_get(name, sizeof name - 1, buf, sizeof buf, &len);
    printf("deleted at version %d; get: %s\n", (int)v, rc == WARD_VAULT_EDELETED ? "deleted" : "?");
    return rc == WARD_VAULT_EDELETED ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "roundtrip";
    if (strcmp(mode, "store") == 0)
        return store();
    if (strcmp(mode, "fetch") == 0)
        return fetch();
    if (strcmp(mode, "delete") == 0)
        return delete();
    int rc = store();
    return rc ? rc : fetch();
}
