/* Compiled by clang running inside ward (tests/real/run_real.sh), then run by ward. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    qsort(argv + 1, (size_t)(argc - 1), sizeof *argv, compare);
    for (int i = 1; i < argc; i++)
        printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
    unsigned long sum = 0;
    for (unsigned long i = 0; i < 1000; i++)
        sum += i * i;
    printf("sum=%lu\n", sum);
    return 0;
}
