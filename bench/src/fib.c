/* fib: naive doubly-recursive Fibonacci.  Exercises calls and returns. */
#include "bench.h"

#ifndef FIB_N
#define FIB_N 37
#endif
BENCH_PARAM(fib_n, FIB_N);

static uint32_t fib(uint32_t n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

int run(void)
{
    return bench_result(fib((uint32_t)fib_n));
}
