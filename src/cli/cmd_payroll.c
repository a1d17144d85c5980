/* cmd_payroll.c - `attain payroll`: what a month pays, as the CSV payroll imports (one row per
 * payee and earnings line), and the finance reports beside it: accruals (earned, not yet paid)
 * and cost of sales per plan component. The layouts are documented in docs/payroll.md and
 * written by pay/payroll_csv.h, which the API's ?format=csv uses too. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/csv.h"
#include "core/fiscal.h"
#include "pay/payroll_csv.h"
#include "store/pay_store.h"
#include "store/store.h"

static const char HELP[] =
    "Write what a month pays as CSV, for payroll and finance (layouts in docs/payroll.md).\n"
    "A month is read from the run it was closed with, else its latest run for everyone.\n"
    "attain serve sends the same files: GET /api/v1/payroll/MONTH?format=csv (and accruals,\n"
    "cost; docs/api.md).\n"
    "\n"
    "reports (--report):\n"
    "  payroll (default)   one row per payee and earnings line of MONTH:\n"
    "                      period,person_id,name,currency,line,kind,amount\n"
    "                      (a payee's rows add up to what the payee is paid)\n"
    "  accruals            one row per payee at the end of MONTH: earned and paid in the\n"
    "                      fiscal year to date, accrued (earned, not yet paid), draw balance\n"
    "  cost                cost of sales per plan component, for every month of --period\n"
    "                      (a month, quarter, half or year): paid and earned, people\n"
    "\n"
    "options:\n"
    "  --db FILE           the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  --period P          the month (payroll, accruals) or any period (cost); required\n"
    "  --report NAME       payroll, accruals or cost (default payroll)\n"
    "  --out FILE          write the CSV there (default: standard output)\n"
    "  -h, --help          show this help\n"
    "\n"
    "examples:\n"
    "  attain payroll --period 2026-03 --out payroll-2026-03.csv\n"
    "  attain payroll --period 2026-03 --report accruals\n"
    "  attain payroll --period 2026-Q1 --report cost\n";

static int usage(const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help payroll` for the options", "%s",
            detail);
    return at_cli_report(&err);
}

/* The first and last month labels of a period label. */
static at_code period_months(at_store *store, const char *label, char *first, char *last,
                             at_error *err)
{
    at_period_kind kind;
    int year, number;
    at_code c = at_period_label_parse(at_str_from(label), &kind, &year, &number, err);
    if (c != AT_OK)
        return c;
    at_fiscal_table table;
    c = at_store_fiscal_table(store, year, year, &table, err);
    if (c != AT_OK)
        return c;
    const at_period *p, *m0, *m1;
    c = at_fiscal_get(&table, kind, year, number, &p, err);
    if (c == AT_OK)
        c = at_fiscal_find(&table, AT_PERIOD_MONTH, p->first, &m0, err);
    if (c == AT_OK)
        c = at_fiscal_find(&table, AT_PERIOD_MONTH, p->last, &m1, err);
    if (c == AT_OK) {
        snprintf(first, AT_PERIOD_LABEL_MAX, "%s", m0->label);
        snprintf(last, AT_PERIOD_LABEL_MAX, "%s", m1->label);
    }
    at_fiscal_table_free(&table);
    return c;
}

static int run(int argc, char **argv)
{
    const char *db = NULL, *period = NULL, *report = "payroll", *out_path = NULL;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"period", required_argument, NULL, 'p'},
        {"report", required_argument, NULL, 'r'}, {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'p': period = optarg; break;
        case 'r': report = optarg; break;
        case 'o': out_path = optarg; break;
        case 'h': at_cli_print_help(&at_command_payroll, stdout); return 0;
        case ':': return usage("an option is missing its value");
        default: return usage("unknown option");
        }
    }
    if (optind < argc)
        return usage("unexpected argument: payroll takes options only");
    if (!period)
        return usage("--period is required, e.g. --period 2026-03");
    int which = strcmp(report, "payroll") == 0    ? 0
                : strcmp(report, "accruals") == 0 ? 1
                : strcmp(report, "cost") == 0     ? 2
                                                  : -1;
    if (which < 0)
        return usage("--report is payroll, accruals or cost");

    at_error err;
    at_store *store = NULL;
    at_store_options so = {0};
    so.read_only = true;
    if (at_store_open(at_cli_db_path(db), &so, &store, &err) != AT_OK)
        return at_cli_report(&err);
    at_arena arena;
    at_arena_init(&arena, 1 << 16);
    at_code c = AT_OK;
    int64_t run_id = 0;
    bool found = true;
    at_store_payroll_row *payroll = NULL;
    at_store_accrual_row *accruals = NULL;
    at_store_cost_row *cost = NULL;
    size_t count = 0;
    if (which == 0)
        c = at_store_payroll(store, period, &run_id, &found, &arena, &payroll, &count, &err);
    else if (which == 1)
        c = at_store_accruals(store, period, &run_id, &found, &arena, &accruals, &count, &err);
    else {
        char first[AT_PERIOD_LABEL_MAX], last[AT_PERIOD_LABEL_MAX];
        c = period_months(store, period, first, last, &err);
        if (c == AT_OK)
            c = at_store_cost_of_sales(store, first, last, &arena, &cost, &count, &err);
    }
    at_store_close(store);
    if (c == AT_OK && !found)
        c = at_fail(&err, AT_ERR_NOT_FOUND, "--period",
                    "calculate it first: attain calc --period <the month>",
                    "no calculation run covers %s", period);
    at_csv_writer *w = NULL;
    if (c == AT_OK)
        c = out_path ? at_csv_writer_open(&w, out_path, NULL, &err)
                     : at_csv_writer_open_file(&w, stdout, "standard output", NULL, &err);
    if (c == AT_OK) {
        if (which == 0)
            c = at_pay_payroll_csv(w, period, payroll, count, &err);
        else if (which == 1)
            c = at_pay_accruals_csv(w, period, accruals, count, &err);
        else
            c = at_pay_cost_csv(w, cost, count, &err);
        at_error close_err;
        at_code cc = at_csv_writer_close(w, &close_err);
        if (c == AT_OK && cc != AT_OK) {
            c = cc;
            err = close_err;
        }
    }
    at_arena_free(&arena);
    if (c != AT_OK)
        return at_cli_report(&err);
    if (out_path)
        fprintf(stderr, "attain: payroll: wrote the %s report (%zu %s) to %s\n", report, count,
                which == 2 ? "rows" : "payees", out_path);
    return 0;
}

const at_command at_command_payroll = {
    "payroll",
    "attain payroll --period P [--report payroll|accruals|cost] [--out FILE] [--db FILE]",
    "what a month pays, as CSV for payroll; accruals; cost of sales per component",
    HELP,
    run,
};
