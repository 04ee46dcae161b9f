/*
 * Linked into every fuzz target.  The fuzz build leaves UBSan's checks
 * recoverable (fuzz/run: -fno-sanitize-recover=all made clang spend over
 * 20 CPU minutes on src/interp/exec.c, every check a noreturn exit from
 * the dispatch loop, against under 3 without it), so the runtime is told
 * here to stop at the first report: libFuzzer then saves the input as a
 * crash, as it would for an unrecoverable check.  UBSAN_OPTIONS from the
 * environment still apply after these.
 */
const char *__ubsan_default_options(void);

const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:print_stacktrace=1";
}
