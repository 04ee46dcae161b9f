/*
 * libFuzzer target: any bytes as a .wast script through the spec runner's
 * text reader (spec-tests/wast_text.c), the way `ward wast FILE.wast` and
 * `spec-tests/run --text` read the suite: every command is read into its
 * record and freed.  The commands are not run (a script may loop forever;
 * the modules it holds are instantiate_run's and text_parse's business).
 *
 * Besides "no crash, no leak, no UB", it checks the reader's promises: a
 * broken command or a refused module carries a message; a command's kind
 * and module form are in range; reading ends (every command consumes
 * input, so there are at most as many as bytes, plus one).
 */
#include <stddef.h>
#include <stdint.h>

#include "../spec-tests/wast_cmd.h"

static void require(int condition)
{
    if (!condition)
        __builtin_trap();
}

static void check_command(const wast_cmd *c)
{
    require(c->kind <= WAST_CMD_BROKEN);
    require(c->module.form <= WAST_MODULE_MISSING);
    if (c->kind == WAST_CMD_BROKEN)
        require(c->problem.msg[0] != '\0');
    if (c->module.form == WAST_MODULE_MALFORMED)
        require(c->module.problem.msg[0] != '\0');
    if (c->module.form == WAST_MODULE_BINARY)
        require(c->module.bytes != NULL || c->module.size == 0);
    if (c->action.kind != WAST_ACTION_NONE)
        require(c->action.field != NULL);
    for (size_t i = 0; i < c->nexpected; i++)
        require(c->expected[i].nalts >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    werror why;
    /* the first byte's low bit picks the memory64 proposal's text */
    wast_reader *r = wast_text_open_buffer("fuzz.wast", data, size, size > 0 && (data[0] & 1), &why);
    require(r != NULL);
    wast_cmd c;
    size_t commands = 0;
    while (r->next(r, &c)) {
        check_command(&c);
        wast_cmd_free(&c);
        require(++commands <= size + 1);
    }
    r->close(r);
    return 0;
}
