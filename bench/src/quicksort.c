/* quicksort: sorts pseudo-random integers with an explicit-stack quicksort
 * (insertion sort for short runs), then heapsorts a second copy and checks
 * both agree.  Exercises unpredictable branches and random memory access. */
#include "bench.h"

#ifndef SORT_COUNT
#define SORT_COUNT 400000
#endif
#ifndef SORT_ROUNDS
#define SORT_ROUNDS 4
#endif
BENCH_PARAM(sort_rounds, SORT_ROUNDS);

static int32_t quick_data[SORT_COUNT];
static int32_t heap_data[SORT_COUNT];

static void swap(int32_t *a, int32_t *b)
{
    int32_t t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(int32_t *v, int32_t lo, int32_t hi)
{
    for (int32_t i = lo + 1; i <= hi; i++) {
        int32_t x = v[i];
        int32_t j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

/* Hoare partition around the median of three; returns the split point. */
static int32_t partition(int32_t *v, int32_t lo, int32_t hi)
{
    int32_t mid = lo + (hi - lo) / 2;
    if (v[mid] < v[lo])
        swap(&v[mid], &v[lo]);
    if (v[hi] < v[lo])
        swap(&v[hi], &v[lo]);
    if (v[hi] < v[mid])
        swap(&v[hi], &v[mid]);
    int32_t pivot = v[mid];
    int32_t i = lo - 1, j = hi + 1;
    for (;;) {
        do
            i++;
        while (v[i] < pivot);
        do
            j--;
        while (v[j] > pivot);
        if (i >= j)
            return j;
        swap(&v[i], &v[j]);
    }
}

static void quicksort(int32_t *v, int32_t n)
{
    int32_t stack[128];
    int32_t top = 0;
    stack[top++] = 0;
    stack[top++] = n - 1;
    while (top > 0) {
        int32_t hi = stack[--top];
        int32_t lo = stack[--top];
        if (hi - lo < 16) {
            insertion_sort(v, lo, hi);
            continue;
        }
        int32_t p = partition(v, lo, hi);
        /* Push the larger half first so the stack stays logarithmic. */
        if (p - lo > hi - p - 1) {
            stack[top++] = lo;
            stack[top++] = p;
            stack[top++] = p + 1;
            stack[top++] = hi;
        } else {
            stack[top++] = p + 1;
            stack[top++] = hi;
            stack[top++] = lo;
            stack[top++] = p;
        }
    }
}

static void sift_down(int32_t *v, int32_t root, int32_t n)
{
    for (;;) {
        int32_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && v[child + 1] > v[child])
            child++;
        if (v[root] >= v[child])
            return;
        swap(&v[root], &v[child]);
        root = child;
    }
}

static void heapsort(int32_t *v, int32_t n)
{
    for (int32_t i = n / 2 - 1; i >= 0; i--)
        sift_down(v, i, n);
    for (int32_t end = n - 1; end > 0; end--) {
        swap(&v[0], &v[end]);
        sift_down(v, 0, end);
    }
}

int run(void)
{
    uint32_t hash = 2166136261u;
    int32_t rounds = sort_rounds;
    for (int32_t r = 0; r < rounds; r++) {
        uint32_t seed = 0x1234567u + (uint32_t)r;
        for (int32_t i = 0; i < SORT_COUNT; i++) {
            quick_data[i] = (int32_t)(bench_rand(&seed) % 1000000u) - 500000;
            heap_data[i] = quick_data[i];
        }
        quicksort(quick_data, SORT_COUNT);
        heapsort(heap_data, SORT_COUNT);
        uint32_t mismatches = 0;
        for (int32_t i = 0; i < SORT_COUNT; i++)
            mismatches += quick_data[i] != heap_data[i];
        hash = bench_mix(hash, mismatches);
        for (int32_t i = 0; i < SORT_COUNT; i += 997)
            hash = bench_mix(hash, (uint32_t)quick_data[i]);
    }
    return bench_result(hash);
}
