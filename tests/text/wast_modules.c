/*
 * wast_modules FILE.wast OUTDIR: every module form of a .wast script, in
 * order, through ward's text parser.  For the N-th top-level command that
 * holds a module, writes OUTDIR/N.wasm, or prints "N error L:C message".
 * tests/text/compare_wabt.py compares the files with wast2json's.  A file
 * under a memory64 directory is read with the memory64 proposal's text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/file.h"
#include "text/text_internal.h"

static wtext_options options;

static void module_form(wlexer *lx, const char *outdir, int index)
{
    wtext_module m;
    wtext_error e = {{0}, 0, 0};
    if (!wtext_parse_module_with(lx, &options, &m, &e)) {
        printf("%d error %u:%u %s\n", index, e.line, e.column, e.msg);
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%d.wasm", outdir, index);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(m.wasm, 1, m.wasm_len, f);
        fclose(f);
    }
    printf("%d ok %s\n", index, m.kind == WTEXT_MODULE_BINARY ? "binary" : m.kind == WTEXT_MODULE_QUOTE ? "quote" : "text");
    free(m.wasm);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: wast_modules FILE.wast OUTDIR\n");
        return 2;
    }
    size_t len;
    werror why;
    char *text = (char *)wfile_read(argv[1], &len, &why);
    if (!text) {
        fprintf(stderr, "%s\n", why.msg);
        return 2;
    }
    wlexer lx;
    wtext_error e;
    wtok t;
    options.memory64 = strstr(argv[1], "memory64") != NULL;
    wlex_init(&lx, text, len);
    for (int index = 0;; index++) {
        wlexer at = lx;
        if (!wlex_next(&lx, &t, &e) || t.kind == WTOK_EOF)
            break;
        wtok kw;
        if (t.kind != WTOK_LPAREN || !wlex_next(&lx, &kw, &e))
            break;
        if (wtok_is(&kw, "module")) {
            lx = at;
            wlexer before = lx;
            module_form(&lx, argv[2], index);
            /* a module that failed: resume after its closing paren */
            if (lx.pos == before.pos || lx.text == NULL) {
                lx = before;
            }
            lx = before;
            wlex_next(&lx, &t, &e);
            if (!wlex_skip_to_close(&lx, &e))
                break;
            continue;
        }
        /* a command: its direct (module ...) child, if any */
        for (;;) {
            wlexer child = lx;
            if (!wlex_next(&lx, &t, &e) || t.kind == WTOK_EOF || t.kind == WTOK_RPAREN)
                break;
            if (t.kind != WTOK_LPAREN)
                continue;
            wtok ck;
            wlexer inner = lx;
            if (wlex_next(&inner, &ck, &e) && wtok_is(&ck, "module"))
                module_form(&child, argv[2], index);
            if (!wlex_skip_to_close(&lx, &e))
                break;
        }
    }
    free(text);
    return 0;
}
