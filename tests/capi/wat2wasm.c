/*
 * wat2wasm IN.wat OUT.wasm: the wasm-c-api examples' modules assembled by
 * ward's own text parser (ward_wat_to_wasm).  A test tool rather than
 * `ward wat2wasm` because every build has libward's parser, while the CLI
 * is left out of some (the minimal build has no WASI, hence no ward run).
 */
#include <stdio.h>
#include <stdlib.h>

#include "ward.h"
#include "host/file.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: wat2wasm IN.wat OUT.wasm\n");
        return 2;
    }
    size_t len = 0;
    werror why;
    uint8_t *text = wfile_read(argv[1], &len, &why);
    if (!text) {
        fprintf(stderr, "%s\n", why.msg);
        return 1;
    }
    uint8_t *wasm = NULL;
    size_t wasm_len = 0;
    ward_error err;
    ward_result r = ward_wat_to_wasm((const char *)text, len, &wasm, &wasm_len, &err);
    free(text);
    if (r != WARD_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], err.message);
        return 1;
    }
    FILE *out = fopen(argv[2], "wb");
    int ok = out && fwrite(wasm, 1, wasm_len, out) == wasm_len;
    if (out && fclose(out) != 0)
        ok = 0;
    ward_wasm_free(wasm);
    if (!ok) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
