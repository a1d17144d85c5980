/* cmd_period.c - `attain period close|list`: close a fiscal month (its lines are locked: later
 * changes to its data flow into the first open month as prior-period adjustments) and list
 * the closed months. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/date.h"
#include "store/pay_store.h"
#include "store/store.h"

static const char HELP[] =
    "Close fiscal months and list the closed ones.\n"
    "\n"
    "actions:\n"
    "  close MONTH         lock what MONTH paid (the lines of its latest run for everyone);\n"
    "                      data that changes MONTH afterwards is paid as a prior-period\n"
    "                      adjustment in the first open month, with a reference to MONTH\n"
    "  list                the closed months, when and by whom, and the run each locked\n"
    "\n"
    "options:\n"
    "  --db FILE           the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  --reason TEXT       why (kept in the audit trail)\n"
    "  --actor NAME        who (default: $USER)\n"
    "  -h, --help          show this help\n"
    "\n"
    "examples:\n"
    "  attain calc --period 2026-03 && attain period close 2026-03 --reason \"March payroll\"\n"
    "  attain period list\n";

static int usage(const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help period` for the actions", "%s", detail);
    return at_cli_report(&err);
}

static int run(int argc, char **argv)
{
    const char *db = NULL, *reason = NULL, *actor = NULL;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"reason", required_argument, NULL, 'r'},
        {"actor", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'r': reason = optarg; break;
        case 'a': actor = optarg; break;
        case 'h': at_cli_print_help(&at_command_period, stdout); return 0;
        case ':': return usage("an option is missing its value");
        default: return usage("unknown option");
        }
    }
    if (optind >= argc)
        return usage("give an action: close MONTH or list");
    const char *action = argv[optind];
    if (!actor) {
        const char *user = getenv("USER");
        actor = user && user[0] ? user : "attain";
    }
    at_error err;
    at_store *store = NULL;
    if (strcmp(action, "close") == 0) {
        if (optind + 2 != argc)
            return usage("close takes one month, e.g. attain period close 2026-03");
        if (at_store_open(at_cli_db_path(db), NULL, &store, &err) != AT_OK)
            return at_cli_report(&err);
        int64_t run_id = 0;
        at_code c = at_store_period_close(store, argv[optind + 1], actor, reason, &run_id, &err);
        at_store_close(store);
        if (c != AT_OK)
            return at_cli_report(&err);
        printf("%s closed: the lines of run %lld are locked\n", argv[optind + 1],
               (long long)run_id);
        return 0;
    }
    if (strcmp(action, "list") == 0) {
        if (optind + 1 != argc)
            return usage("list takes no argument");
        at_store_options so = {0};
        so.read_only = true;
        if (at_store_open(at_cli_db_path(db), &so, &store, &err) != AT_OK)
            return at_cli_report(&err);
        at_arena arena;
        at_arena_init(&arena, 1 << 14);
        at_store_closed_period *list = NULL;
        size_t count = 0;
        at_code c = at_store_closed_list(store, &arena, &list, &count, &err);
        at_store_close(store);
        if (c != AT_OK) {
            at_arena_free(&arena);
            return at_cli_report(&err);
        }
        if (!count)
            printf("no closed months\n");
        else
            printf("%-8s %-20s %-16s %8s %8s  %s\n", "month", "closed at", "by", "run", "lines",
                   "reason");
        for (size_t i = 0; i < count; i++) {
            char at[AT_TIME_TEXT_MAX];
            at_time_format(list[i].closed_at, at, sizeof at);
            printf("%-8s %-20s %-16s %8lld %8lld  %s\n", list[i].month, at, list[i].closed_by,
                   (long long)list[i].run_id, (long long)list[i].lines,
                   list[i].reason ? list[i].reason : "");
        }
        at_arena_free(&arena);
        return 0;
    }
    return usage("unknown action: use close or list");
}

const at_command at_command_period = {
    "period",
    "attain period close MONTH [--reason TEXT] | attain period list   [--db FILE]",
    "close fiscal months (lock what they paid) and list the closed ones",
    HELP,
    run,
};
