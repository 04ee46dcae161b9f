/* The text format on the command line: .wat input to run and validate,
 * and `ward wat2wasm` (docs/text.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool cli_wat_convert(const char *cmd, const char *path, uint8_t **bytes, size_t *size, ward_wat_map **map)
{
    /* a binary module starts with "\0asm"; anything else is read as text */
    if (*size >= 4 && memcmp(*bytes, "\0asm", 4) == 0)
        return true;
    uint8_t *wasm;
    size_t len;
    ward_error err;
    if (ward_wat_to_wasm_map((const char *)*bytes, *size, &wasm, &len, map, &err) != WARD_OK) {
        fprintf(stderr, "%s: %s: %s\n", cmd, path, err.message);
        return false;
    }
    free(*bytes);
    *bytes = wasm;   /* ward_wasm_free is free() */
    *size = len;
    return true;
}

/* IN.wat -> IN.wasm */
static char *default_output(const char *in)
{
    size_t n = strlen(in);
    if (n > 4 && strcmp(in + n - 4, ".wat") == 0)
        n -= 4;
    char *out = malloc(n + 6);
    if (out) {
        memcpy(out, in, n);
        memcpy(out + n, ".wasm", 6);
    }
    return out;
}

static bool write_all(const char *path, const uint8_t *bytes, size_t len)
{
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (!f) {
        perror(path);
        return false;
    }
    bool ok = fwrite(bytes, 1, len, f) == len;
    ok = (to_stdout ? fflush(f) : fclose(f)) == 0 && ok;
    if (!ok)
        perror(path);
    return ok;
}

int cli_wat2wasm(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (!in && argv[i][0] != '-')
            in = argv[i];
        else
            in = NULL, i = argc;
    }
    if (!in) {
        fprintf(stderr, "usage: ward wat2wasm IN.wat [-o OUT.wasm|-]\n");
        return CLI_EXIT_USAGE;
    }
    size_t size = 0;
    uint8_t *bytes = cli_read_file("ward wat2wasm", in, &size);
    if (!bytes)
        return CLI_EXIT_USAGE;
    uint8_t *wasm;
    size_t len;
    ward_error err;
    int status = CLI_EXIT_USAGE;
    if (ward_wat_to_wasm((const char *)bytes, size, &wasm, &len, &err) != WARD_OK) {
        fprintf(stderr, "ward wat2wasm: %s: %s\n", in, err.message);
    } else {
        char *made = out ? NULL : default_output(in);
        if (write_all(out ? out : made, wasm, len))
            status = CLI_EXIT_OK;
        free(made);
        ward_wasm_free(wasm);
    }
    free(bytes);
    return status;
}
