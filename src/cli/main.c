/* main.c - `attain <command> ...`: finds the command in the table and runs it. The only
 * place in attain that exits. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

static const at_command *const commands[] = {
    &at_command_generate,
    &at_command_import,
    &at_command_export,
    &at_command_summary,
    &at_command_db,
    &at_command_calc,
    &at_command_statement,
    &at_command_estimate,
    &at_command_period,
    &at_command_payroll,
    &at_command_plan,
    &at_command_serve,
    &at_command_user,
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static const at_command *find_command(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void print_usage(FILE *out)
{
    fprintf(out,
            "attain %s - sales performance management: plan, pay, perform.\n\n"
            "usage: attain <command> [options]\n\n"
            "commands:\n",
            ATTAIN_VERSION);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "  %-10s %s\n", "help", "show the help of a command: attain help <command>");
    fprintf(out, "  %-10s %s\n", "version", "print the version");
    fprintf(out,
            "\nThe database is --db FILE, else $ATTAIN_DB, else ./attain.db.\n"
            "Documentation: docs/ in the source tree, and `man attain`.\n");
}

static int unknown_command(const char *name)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain --help` to see the commands",
            "unknown command '%s'", name);
    return at_cli_report(&err);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (at_cli_is_help(name)) {
        print_usage(stdout);
        return 0;
    }
    if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
        printf("attain %s\n", ATTAIN_VERSION);
        return 0;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_usage(stdout);
            return 0;
        }
        if (strcmp(argv[2], "help") == 0 || strcmp(argv[2], "version") == 0) {
            printf("usage: attain %s%s\n", argv[2], argv[2][0] == 'h' ? " [COMMAND]" : "");
            return 0;
        }
        const at_command *cmd = find_command(argv[2]);
        if (!cmd)
            return unknown_command(argv[2]);
        at_cli_print_help(cmd, stdout);
        return 0;
    }
    const at_command *cmd = find_command(name);
    if (!cmd)
        return unknown_command(name);
    return cmd->run(argc - 1, argv + 1);
}
