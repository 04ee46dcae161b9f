/* jsonpp: pretty-print JSON from stdin with 2-space indentation; exit 1 on a syntax error. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
static int c, depth;
static void next(void)
{
    do
        c = getchar();
    while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}
static void indent(void)
{
    putchar('\n');
    for (int i = 0; i < depth; i++)
        fputs("  ", stdout);
}
static void fail(const char *w)
{
    fflush(stdout);
    fprintf(stderr, "\njsonpp: %s\n", w);
    exit(1);
}
static void value(void);
static void string(void)
{
    putchar('"');
    for (;;) {
        int ch = getchar();
        if (ch == EOF)
            fail("unterminated string");
        if (ch == '\\') {
            putchar(ch);
            ch = getchar();
            if (ch == EOF)
                fail("bad escape");
            putchar(ch);
            continue;
        }
        if (ch == '"')
            break;
        putchar(ch);
    }
    putchar('"');
    next();
}
static void container(int open, int close, int obj)
{
    putchar(open);
    next();
    if (c == close) {
        putchar(close);
        next();
        return;
    }
    depth++;
    for (;;) {
        indent();
        if (obj) {
            if (c != '"')
                fail("key expected");
            string();
            if (c != ':')
                fail("':' expected");
            fputs(": ", stdout);
            next();
        }
        value();
        if (c == ',') {
            putchar(',');
            next();
            continue;
        }
        if (c != close)
            fail("',' or close expected");
        break;
    }
    depth--;
    indent();
    putchar(close);
    next();
}
static void value(void)
{
    if (c == '{')
        container('{', '}', 1);
    else if (c == '[')
        container('[', ']', 0);
    else if (c == '"')
        string();
    else if (c == '-' || isalnum(c) || c == '.' || c == '+') {
        while (c == '-' || isalnum(c) || c == '.' || c == '+') {
            putchar(c);
            c = getchar();
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
            next();
    } else
        fail("value expected");
}
int main(void)
{
    next();
    value();
    if (c != EOF)
        fail("trailing data");
    putchar('\n');
    return 0;
}
