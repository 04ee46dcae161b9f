/*
 * The vault's secret on the command line (docs/vault.md, "CLI"): a key
 * file (--key-file F), a passphrase read from a descriptor
 * (--passphrase-fd N), or a passphrase typed at the terminal with echo
 * off.  Never from argv, where other users see it; every copy is wiped.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "crypto/crypto.h"
#include "ward_vault.h"

#define PASS_MAX 4096

/* All of descriptor fd (at most PASS_MAX bytes) into buf, the final
 * newline dropped. */
static bool read_fd(const char *cmd, int fd, char *buf, size_t *len)
{
    *len = 0;
    for (;;) {
        if (*len == PASS_MAX) {
            fprintf(stderr, "%s: the passphrase on descriptor %d is over %d bytes\n", cmd, fd, PASS_MAX);
            return false;
        }
        ssize_t n = read(fd, buf + *len, PASS_MAX - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "%s: cannot read the passphrase from descriptor %d: %s\n", cmd, fd, strerror(errno));
            return false;
        }
        if (n == 0)
            break;
        *len += (size_t)n;
    }
    if (*len && buf[*len - 1] == '\n')
        (*len)--;
    if (*len && buf[*len - 1] == '\r')
        (*len)--;
    return true;
}

/* One line typed at the terminal (stdin) with echo off. */
static bool read_tty(const char *cmd, const char *prompt, char *buf, size_t *len)
{
    struct termios old, quiet;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) != 0) {
        fprintf(stderr, "%s: no key given (--key-file F or --passphrase-fd N) and stdin is not a terminal to "
                        "type a passphrase at\n", cmd);
        return false;
    }
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    fprintf(stderr, "%s", prompt);
    *len = 0;
    char ch;
    while (*len < PASS_MAX && read(STDIN_FILENO, &ch, 1) == 1 && ch != '\n')
        buf[(*len)++] = ch;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    wcrypto_wipe(&ch, sizeof ch);
    return true;
}

static bool parse_fd(const char *cmd, const char *text, int *fd)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || end == text || v < 0 || v > 1 << 20) {
        fprintf(stderr, "%s: --passphrase-fd needs a descriptor number, not '%s'\n", cmd, text);
        return false;
    }
    *fd = (int)v;
    return true;
}

/* The passphrase: from pass_fd, else typed (twice when confirm). */
static bool get_passphrase(const char *cmd, const char *pass_fd, bool confirm, char *buf, size_t *len)
{
    int fd;
    if (pass_fd)
        return parse_fd(cmd, pass_fd, &fd) && read_fd(cmd, fd, buf, len);
    if (!read_tty(cmd, "vault passphrase: ", buf, len))
        return false;
    if (!confirm)
        return true;
    char *again = malloc(PASS_MAX);
    size_t again_len = 0;
    bool ok = again && read_tty(cmd, "again: ", again, &again_len) && again_len == *len &&
              wcrypto_equal(again, buf, *len);
    if (again) {
        wcrypto_wipe(again, PASS_MAX);
        free(again);
    }
    if (!ok)
        fprintf(stderr, "%s: the passphrases differ\n", cmd);
    return ok;
}

bool cli_vault_key_file(const char *cmd, const char *path, uint8_t key[32])
{
    size_t size = 0;
    uint8_t *bytes = cli_read_file(cmd, path, &size);
    if (!bytes)
        return false;
    ward_db_error err;
    bool ok = ward_vault_key_parse(bytes, size, key, &err);
    wcrypto_wipe(bytes, size);
    free(bytes);
    if (!ok)
        fprintf(stderr, "%s: %s: %s\n", cmd, path, err.message);
    return ok;
}

/* Run the passphrase through fn (init or unlock), wiping it after. */
static bool with_passphrase(const char *cmd, const char *pass_fd, bool confirm, bool (*fn)(void *, const uint8_t *, size_t),
                            void *ctx)
{
    char *buf = malloc(PASS_MAX);
    size_t len = 0;
    if (!buf) {
        fprintf(stderr, "%s: out of memory\n", cmd);
        return false;
    }
    bool ok = get_passphrase(cmd, pass_fd, confirm, buf, &len);
    if (ok && len == 0) {
        fprintf(stderr, "%s: an empty passphrase protects nothing\n", cmd);
        ok = false;
    }
    ok = ok && fn(ctx, (const uint8_t *)buf, len);
    wcrypto_wipe(buf, PASS_MAX);
    free(buf);
    return ok;
}

typedef struct unlock_ctx {
    ward_db *db;
    ward_vault *vault;
    const ward_vault_kdf *kdf;
    ward_db_error err;
} unlock_ctx;

static bool unlock_fn(void *ctx, const uint8_t *pass, size_t len)
{
    unlock_ctx *u = ctx;
    u->vault = ward_vault_unlock_passphrase(u->db, pass, len, &u->err);
    return u->vault != NULL;
}

static bool init_fn(void *ctx, const uint8_t *pass, size_t len)
{
    unlock_ctx *u = ctx;
    return ward_vault_init_passphrase(u->db, pass, len, u->kdf, &u->err);
}

ward_vault *cli_vault_unlock(const char *cmd, ward_db *db, const char *key_file, const char *pass_fd)
{
    unlock_ctx u = {.db = db};
    u.err.kind = WARD_DB_OK;
    if (key_file) {
        uint8_t key[32];
        if (cli_vault_key_file(cmd, key_file, key))
            u.vault = ward_vault_unlock_key(db, key, &u.err);
        wcrypto_wipe(key, sizeof key);
    } else {
        with_passphrase(cmd, pass_fd, false, unlock_fn, &u);
    }
    if (!u.vault && u.err.kind != WARD_DB_OK)
        fprintf(stderr, "%s: %s\n", cmd, u.err.message);
    return u.vault;
}

bool cli_vault_init(const char *cmd, ward_db *db, const char *key_file, const char *pass_fd,
                    const ward_vault_kdf *kdf)
{
    unlock_ctx u = {.db = db, .kdf = kdf};
    u.err.kind = WARD_DB_OK;
    bool ok = false;
    if (key_file) {
        uint8_t key[32];
        ok = cli_vault_key_file(cmd, key_file, key) && ward_vault_init_key(db, key, &u.err);
        wcrypto_wipe(key, sizeof key);
    } else {
        ok = with_passphrase(cmd, pass_fd, true, init_fn, &u);
    }
    if (!ok && u.err.kind != WARD_DB_OK)
        fprintf(stderr, "%s: %s\n", cmd, u.err.message);
    return ok;
}
