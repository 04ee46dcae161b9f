/*
 * The in-process spec-test runner: reads .wast scripts with ward's own text
 * parser, or the JSON scripts wast2json writes, and runs every command
 * against ward's public API.
 */
#ifndef WARD_WAST_H
#define WARD_WAST_H

/*
 * `ward wast [-v] FILE.wast|FILE.json...`: run each script in a fresh store, print
 * "FILE: N passed, N failed, N skipped" per file and the total last.
 * Returns 0 when nothing failed, 1 when something did, 2 on usage errors.
 * argv[0] is the command name ("wast").
 */
int ward_wast_main(int argc, char **argv);

#endif
