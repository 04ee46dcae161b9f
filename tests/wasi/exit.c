/* WASI guest: output, then proc_exit with a code; nothing after it runs. */
#include <stdio.h>
#include <wasi/api.h>

int main(void)
{
    printf("before exit\n");
    fflush(stdout);
    __wasi_proc_exit(7);
    printf("after exit\n");   /* never printed */
    return 0;
}
