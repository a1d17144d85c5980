/* cmd_statement.c - `attain statement`: one payee's pay statement for a fiscal month, from the
 * stored run (pay/stored.h), as text, JSON, HTML or PDF. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "pay/stored.h"
#include "store/store.h"

static const char HELP[] =
    "Print a payee's statement for a fiscal month: one line per plan component with the\n"
    "formula and the numbers put in and the rounding applied, the measures and attainment\n"
    "behind it, the credits and transactions behind those (ids, dates, amounts, split share,\n"
    "exchange rate), prior-period adjustments, the draw, and the year to date.\n"
    "See docs/statements.md for how to read it and the JSON layout.\n"
    "\n"
    "options:\n"
    "  --db FILE           the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  --payee ID          the payee (people.csv id; required)\n"
    "  --period MONTH      the fiscal month, e.g. 2026-03 (required)\n"
    "  --format F          text (default), json, html or pdf\n"
    "  --out FILE          write there (default: standard output; pdf needs --out or a pipe)\n"
    "  --run N             read run N (default: the latest run covering the month)\n"
    "  -h, --help          show this help\n"
    "\n"
    "examples:\n"
    "  attain statement --payee P000123 --period 2026-03\n"
    "  attain statement --payee P000123 --period 2026-03 --format pdf --out march.pdf\n";

static int usage(const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help statement` for the options", "%s",
            detail);
    return at_cli_report(&err);
}

static int run(int argc, char **argv)
{
    const char *db = NULL, *payee = NULL, *period = NULL, *format = "text", *out_path = NULL;
    long long run_id = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"payee", required_argument, NULL, 'e'},
        {"period", required_argument, NULL, 'p'}, {"format", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'o'},    {"run", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'e': payee = optarg; break;
        case 'p': period = optarg; break;
        case 'f': format = optarg; break;
        case 'o': out_path = optarg; break;
        case 'r': {
            char *end;
            run_id = strtoll(optarg, &end, 10);
            if (*end || run_id < 1)
                return usage("--run takes a run number (attain calc prints it)");
            break;
        }
        case 'h': at_cli_print_help(&at_command_statement, stdout); return 0;
        case ':': return usage("an option is missing its value");
        default: return usage("unknown option");
        }
    }
    if (optind < argc)
        return usage("unexpected argument: statement takes options only");
    if (!payee || !period)
        return usage("--payee and --period are required");
    at_error err;
    at_statement_format fmt;
    if (at_statement_format_parse(format, &fmt, &err) != AT_OK)
        return at_cli_report(&err);

    at_store *store = NULL;
    at_store_options so = {0};
    so.read_only = true;
    if (at_store_open(at_cli_db_path(db), &so, &store, &err) != AT_OK)
        return at_cli_report(&err);
    at_pay_stored keep;
    at_statement st;
    at_code c = at_pay_statement(store, payee, period, run_id, &keep, &st, &err);
    at_store_close(store);
    if (c == AT_OK) {
        FILE *out = stdout;
        if (out_path && !(out = fopen(out_path, "wb")))
            c = at_fail_errno(&err, AT_ERR_IO, out_path, "open for writing");
        if (c == AT_OK) {
            c = at_statement_write(&st, fmt, out, &err);
            if (out != stdout && fclose(out) != 0 && c == AT_OK)
                c = at_fail_errno(&err, AT_ERR_IO, out_path, "write");
        }
    }
    at_pay_stored_free(&keep);
    if (c != AT_OK)
        return at_cli_report(&err);
    return 0;
}

const at_command at_command_statement = {
    "statement",
    "attain statement --payee ID --period MONTH [--format text|json|html|pdf] [--out FILE]",
    "a payee's pay statement for a month, explained down to the transactions",
    HELP,
    run,
};
