/* fmt: fill paragraphs from the files given (or stdin) to a width (-w N), counting words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int width = 60, col, words, paras;
static void word(const char *w)
{
    size_t n = strlen(w);
    if (col && col + 1 + (int)n > width) {
        putchar('\n');
        col = 0;
    }
    if (col) {
        putchar(' ');
        col++;
    }
    fputs(w, stdout);
    col += (int)n;
    words++;
}
static void end_para(void)
{
    if (col) {
        putchar('\n');
        putchar('\n');
        col = 0;
        paras++;
    }
}
static void run(FILE *f)
{
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *save, *t = strtok_r(line, " \t\n", &save);
        if (!t) {
            end_para();
            continue;
        }
        for (; t; t = strtok_r(NULL, " \t\n", &save))
            word(t);
    }
}
int main(int argc, char **argv)
{
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "-w") == 0) {
        width = atoi(argv[i + 1]);
        i += 2;
    }
    if (i >= argc)
        run(stdin);
    for (; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        run(f);
        fclose(f);
    }
    end_para();
    fprintf(stderr, "%d words, %d paragraphs\n", words, paras);
    printf("-- %d words\n", words);
    return 0;
}
