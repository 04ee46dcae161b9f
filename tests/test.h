/*
 * A minimal unit-test harness shared by every test program in tests/.
 * Each CHECK counts one assertion; test_summary() prints
 * "NAME: N passed, N failed" and returns the process exit code.
 */
#ifndef WARD_TEST_H
#define WARD_TEST_H

#include <stdio.h>
#include <string.h>

typedef struct test_counts {
    int passed;
    int failed;
} test_counts;

static test_counts test_counts_;

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (cond) {                                                           \
            test_counts_.passed++;                                            \
        } else {                                                              \
            test_counts_.failed++;                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                   \
        }                                                                     \
    } while (0)

#define CHECK_MSG(cond, ...)                                                  \
    do {                                                                      \
        if (cond) {                                                           \
            test_counts_.passed++;                                            \
        } else {                                                              \
            test_counts_.failed++;                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                   \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
        }                                                                     \
    } while (0)

/* Does haystack contain needle? (for checking error messages) */
#define CHECK_CONTAINS(haystack, needle)                                      \
    CHECK_MSG(strstr((haystack), (needle)) != NULL, "\"%s\" lacks \"%s\"",   \
              (haystack), (needle))

static inline int test_summary(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, test_counts_.passed, test_counts_.failed);
    return test_counts_.failed ? 1 : 0;
}

#endif
