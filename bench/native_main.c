/* Native driver: run the benchmark once and print its checksum, exactly as
 * the wasm engines print run()'s i32 result. */
#include <stdio.h>

int run(void);

int main(void)
{
    printf("%d\n", run());
    return 0;
}
