/* The command record's memory (wast_cmd.h). */
#include "wast_cmd.h"

#include <stdlib.h>
#include <string.h>

char *wast_strndup(const char *s, size_t len)
{
    size_t size;
    char *copy = wsize_add(len, 1, &size) ? malloc(size) : NULL;
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = 0;
    }
    return copy;
}

void wast_cmd_free(wast_cmd *c)
{
    free(c->name);
    free(c->as);
    free(c->module.bytes);
    free(c->module.label);
    free(c->action.module);
    free(c->action.field);
    free(c->action.args);
    for (size_t i = 0; i < c->nexpected; i++)
        free(c->expected[i].alts);
    free(c->expected);
    free(c->text);
    memset(c, 0, sizeof *c);
}
