/* commands.h - the table of `attain` subcommands and what they share: how they report
 * errors, find the database, and show their help. Each command lives in cmd_NAME.c and
 * defines one at_command; main.c lists them. */
#ifndef ATTAIN_CLI_COMMANDS_H
#define ATTAIN_CLI_COMMANDS_H

#include <stdio.h>

#include "core/error.h"
#include "core/money.h"

typedef struct at_command {
    const char *name;     /* "import" */
    const char *synopsis; /* "attain import [--db FILE] [--map MAPPING] PATH..." */
    const char *summary;  /* one line for `attain --help` */
    const char *help;     /* the full text for `attain help import` (options, examples) */
    /* argv[0] is the command's name; returns the process exit status (0 ok, 1 failure,
     * 2 usage). Commands print results to stdout and errors (through at_cli_report) to
     * stderr; they never exit. */
    int (*run)(int argc, char **argv);
} at_command;

extern const at_command at_command_generate;
extern const at_command at_command_import;
extern const at_command at_command_export;
extern const at_command at_command_summary;
extern const at_command at_command_db;
extern const at_command at_command_calc;
extern const at_command at_command_statement;
extern const at_command at_command_estimate;
extern const at_command at_command_period;
extern const at_command at_command_payroll;
extern const at_command at_command_plan;
extern const at_command at_command_serve;
extern const at_command at_command_user;

/* The database path: the --db value if given, else $ATTAIN_DB, else "./attain.db". */
const char *at_cli_db_path(const char *flag_value);

/* Prints err to stderr as "attain: where: error: message\n  hint: ...". Returns the exit
 * status that goes with its code (2 for usage, 1 otherwise). */
int at_cli_report(const at_error *err);

/* Prints the command's synopsis and help to out. */
void at_cli_print_help(const at_command *cmd, FILE *out);

/* "1234567.5" -> "1,234,567.50": two decimals, thousands grouped (for tables people read). */
void at_cli_format_amount(at_money amount, char *out, size_t size);

/* For option parsing: true if arg is -h or --help. */
int at_cli_is_help(const char *arg);

#endif
