/* cmd_estimate.c - `attain estimate`: what one more deal would pay a payee, including its
 * effect on tiers and accelerators (pay/estimate.h); nothing is stored. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "core/date.h"
#include "pay/stored.h"
#include "store/store.h"

static const char HELP[] =
    "Estimate what one more booking would pay a payee: the earnings per plan component\n"
    "with and without it, the attainment before and after, and which tier or accelerator\n"
    "boundary it crosses. Uses the payee's plans and data as stored; nothing is written.\n"
    "\n"
    "options:\n"
    "  --db FILE           the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  --payee ID          the payee (required)\n"
    "  --amount A          the deal's amount, e.g. 48000 or 48000.50 (required)\n"
    "  --currency CUR      its currency (default: the payee's pay currency)\n"
    "  --product ID        its product (products.csv id), for per-product rates\n"
    "  --date DAY          its booking day, YYYY-MM-DD (default: today)\n"
    "  --format F          text (default) or json\n"
    "  -h, --help          show this help\n"
    "\n"
    "examples:\n"
    "  attain estimate --payee P000123 --amount 48000 --date 2026-01-15\n";

static int usage(const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help estimate` for the options", "%s",
            detail);
    return at_cli_report(&err);
}

static int run(int argc, char **argv)
{
    const char *db = NULL, *payee = NULL, *amount_text = NULL, *currency = NULL,
               *product = NULL, *date_text = NULL, *format = "text";
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"payee", required_argument, NULL, 'e'},
        {"amount", required_argument, NULL, 'a'},  {"currency", required_argument, NULL, 'c'},
        {"product", required_argument, NULL, 'p'}, {"date", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'e': payee = optarg; break;
        case 'a': amount_text = optarg; break;
        case 'c': currency = optarg; break;
        case 'p': product = optarg; break;
        case 't': date_text = optarg; break;
        case 'f': format = optarg; break;
        case 'h': at_cli_print_help(&at_command_estimate, stdout); return 0;
        case ':': return usage("an option is missing its value");
        default: return usage("unknown option");
        }
    }
    if (optind < argc)
        return usage("unexpected argument: estimate takes options only");
    if (!payee || !amount_text)
        return usage("--payee and --amount are required");
    at_error err;
    at_money amount;
    if (at_money_parse(at_str_from(amount_text), &amount, &err) != AT_OK) {
        at_error_prefix_where(&err, "--amount");
        return at_cli_report(&err);
    }
    at_day date;
    if (date_text) {
        if (at_day_parse(at_str_from(date_text), &date, &err) != AT_OK) {
            at_error_prefix_where(&err, "--date");
            return at_cli_report(&err);
        }
    } else {
        date = at_time_day((at_time)time(NULL));
    }
    at_statement_format fmt;
    if (at_statement_format_parse(format, &fmt, &err) != AT_OK)
        return at_cli_report(&err);
    if (fmt != AT_STATEMENT_TEXT && fmt != AT_STATEMENT_JSON)
        return usage("--format is text or json for an estimate");

    at_store *store = NULL;
    at_store_options so = {0};
    so.read_only = true;
    if (at_store_open(at_cli_db_path(db), &so, &store, &err) != AT_OK)
        return at_cli_report(&err);
    at_pay_stored keep;
    at_estimate_result est;
    at_code c = at_pay_estimate(store, payee, amount, currency, product, date, &keep, &est, &err);
    at_store_close(store);
    if (c == AT_OK)
        c = at_estimate_write(&est, fmt, stdout, &err);
    at_pay_stored_free(&keep);
    if (c != AT_OK)
        return at_cli_report(&err);
    return 0;
}

const at_command at_command_estimate = {
    "estimate",
    "attain estimate --payee ID --amount A [--currency CUR] [--product ID] [--date DAY]",
    "what one more deal would pay, with its effect on tiers and accelerators",
    HELP,
    run,
};
