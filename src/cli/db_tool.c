/*
 * `ward TOOL [--db FILE] COMMAND ...`: the shape shared by the commands that
 * work on one ward database (ward dag, ward registry).  Each tool gives a
 * table of commands; this finds the command, opens the database (creating
 * it only for commands that write, so a mistyped path is not a new empty
 * database), runs it and reports an output that could not be written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ward_storage.h"

static int tool_help(const cli_db_tool *tool, FILE *out)
{
    fprintf(out, "%s\n", tool->synopsis);
    for (size_t i = 0; i < tool->ncommands; i++)
        fprintf(out, "  %s\n", tool->commands[i].usage);
    if (tool->footer)
        fprintf(out, "%s\n", tool->footer);
    return out == stdout ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

static const cli_db_command *find_command(const cli_db_tool *tool, const char *name)
{
    for (size_t i = 0; i < tool->ncommands; i++)
        if (strcmp(tool->commands[i].name, name) == 0)
            return &tool->commands[i];
    return NULL;
}

/* --db FILE (or --db=FILE) at argv[*i], else the tool's default (NULL
 * when it has none). */
static const char *parse_db(const cli_db_tool *tool, int argc, char **argv, int *i)
{
    if (*i < argc && strncmp(argv[*i], "--db=", 5) == 0)
        return argv[(*i)++] + 5;
    if (*i + 1 < argc && strcmp(argv[*i], "--db") == 0) {
        *i += 2;
        return argv[*i - 1];
    }
    return tool->default_db ? tool->default_db() : NULL;
}

static int run_command(const cli_db_tool *tool, const cli_db_command *cmd, const char *path, int argc, char **argv)
{
    ward_db_options opts;
    ward_db_options_default(&opts);
    opts.create = cmd->writes;
    ward_db_error err;
    ward_db *db = ward_db_open(path, &opts, &err);
    if (!db) {
        fprintf(stderr, "ward %s: %s\n", tool->name, err.message);
        return CLI_EXIT_USAGE;
    }
    int status = cmd->run(db, argc, argv);
    if (fflush(stdout) != 0 && status == CLI_EXIT_OK) {
        fprintf(stderr, "ward %s: cannot write the output: %s\n", tool->name, strerror(errno));
        status = CLI_EXIT_USAGE;
    }
    ward_db_close(db);
    return status;
}

int cli_db_tool_main(const cli_db_tool *tool, int argc, char **argv)
{
    int i = 1;
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return tool_help(tool, stdout);
    const char *path = parse_db(tool, argc, argv, &i);
    if (!path || !path[0]) {
        if (i < argc)
            fprintf(stderr, "ward %s: which database? (%s)\n", tool->name, tool->db_hint);
        return tool_help(tool, stderr);
    }
    if (i >= argc)
        return tool_help(tool, stderr);
    const cli_db_command *cmd = find_command(tool, argv[i]);
    if (!cmd) {
        fprintf(stderr, "ward %s: unknown command \"%s\" (try ward %s --help)\n", tool->name, argv[i], tool->name);
        return CLI_EXIT_USAGE;
    }
    return run_command(tool, cmd, path, argc - i, argv + i);
}
