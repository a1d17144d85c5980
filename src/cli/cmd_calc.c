/* cmd_calc.c - `attain calc`: a calculation run for a period (pay/run.h): load, credit,
 * calculate, save; prints what it did, how long each phase took, what the period pays, and
 * the problems found in the data. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "pay/run.h"
#include "store/pay_store.h"
#include "store/store.h"

static const char HELP[] =
    "Calculate pay for a period: credits, measures, attainment, earnings, payouts. A run\n"
    "computes every month from the start of the period's fiscal year (to-date windows, caps\n"
    "per year and draw balances need them) and stores the results of the open months as a\n"
    "run; closed months are recomputed and any difference is paid as a prior-period\n"
    "adjustment in the first open month. See docs/plans.md and docs/statements.md;\n"
    "docs/design.md says how incremental runs work.\n"
    "\n"
    "options:\n"
    "  --db FILE           the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  --period P          the period: a fiscal month 2026-03, quarter 2026-Q1, half 2026-H1\n"
    "                      or year 2026 (required)\n"
    "  --from P            start from an earlier fiscal year (late changes to a closed\n"
    "                      month of an earlier year)\n"
    "  --payee ID          calculate this payee only (repeat for more); the others keep\n"
    "                      their last results\n"
    "  --incremental       recompute only the payees whose inputs changed since the last\n"
    "                      run of the same period and payees, and carry the others' results\n"
    "                      over: the run holds exactly what a full run would (a full run when\n"
    "                      there is no such run or what every payee depends on changed: the\n"
    "                      calendar, closed months, exchange rates, attain itself; it says\n"
    "                      why)\n"
    "  --credits-per-pass N  compute the payees in passes of at most N credits each\n"
    "                      (each pass walks every transaction again, keeps only its\n"
    "                      payees' credits and saves them); by default a run passes only\n"
    "                      when its credits may not fit in 60% of the memory available\n"
    "  --threads N         engine threads (default: one per core)\n"
    "  --actor NAME        who runs it (kept with the run; default: $USER)\n"
    "  -q, --quiet         print only the run id\n"
    "  -h, --help          show this help\n"
    "\n"
    "examples:\n"
    "  attain calc --period 2026-03\n"
    "  attain calc --period 2026-Q1 --payee P000123\n"
    "  attain calc --period 2026 --incremental\n";

static int usage(const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help calc` for the options", "%s", detail);
    return at_cli_report(&err);
}

static void print_problems(const at_error_list *problems)
{
    if (!problems->total)
        return;
    fprintf(stderr, "attain: calc: %zu problem%s in the data (the lines they touch pay 0 "
                    "and say why):\n",
            problems->total, problems->total == 1 ? "" : "s");
    char buf[AT_ERROR_WHERE_MAX + AT_ERROR_MESSAGE_MAX + AT_ERROR_HINT_MAX + 32];
    for (size_t i = 0; i < problems->count; i++) {
        at_error_format(&problems->items[i], buf, sizeof buf);
        fprintf(stderr, "  %s", buf);
    }
    if (problems->total > problems->count)
        fprintf(stderr, "  ... and %zu more\n", problems->total - problems->count);
}

static void print_totals(at_store *store, const char *month)
{
    at_arena arena;
    at_arena_init(&arena, 1 << 16);
    at_store_payroll_row *rows = NULL;
    size_t count = 0;
    int64_t run_id = 0;
    bool found = false;
    at_error err;
    if (at_store_payroll(store, month, &run_id, &found, &arena, &rows, &count, &err) == AT_OK &&
        found) {
        /* totals per pay currency */
        for (size_t i = 0; i < count; i++) {
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = strcmp(rows[j].currency, rows[i].currency) == 0;
            if (seen)
                continue;
            __int128 paid = 0, earned = 0;
            size_t people = 0;
            for (size_t j = i; j < count; j++)
                if (strcmp(rows[j].currency, rows[i].currency) == 0) {
                    paid += rows[j].amount;
                    earned += rows[j].earned;
                    people++;
                }
            char p[48], e[48];
            at_cli_format_amount((at_money)paid, p, sizeof p);
            at_cli_format_amount((at_money)earned, e, sizeof e);
            printf("  %s pays %s %s to %zu %s (earned %s)\n", month, rows[i].currency, p,
                   people, people == 1 ? "person" : "people", e);
        }
    }
    at_arena_free(&arena);
}

static int run(int argc, char **argv)
{
    const char *db = NULL;
    at_pay_run_options o = {0};
    const char *payees[256];
    size_t payee_count = 0;
    bool quiet = false;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"period", required_argument, NULL, 'p'},
        {"from", required_argument, NULL, 'f'},    {"payee", required_argument, NULL, 'e'},
        {"threads", required_argument, NULL, 't'}, {"actor", required_argument, NULL, 'a'},
        {"quiet", no_argument, NULL, 'q'},       {"incremental", no_argument, NULL, 'i'},
        {"credits-per-pass", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":hq", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'p': o.period = optarg; break;
        case 'f': o.from = optarg; break;
        case 'e':
            if (payee_count == sizeof payees / sizeof payees[0])
                return usage("at most 256 --payee options");
            payees[payee_count++] = optarg;
            break;
        case 't': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64)
                return usage("--threads takes a number from 1 to 64");
            o.threads = (int)n;
            break;
        }
        case 'c': {
            char *end;
            errno = 0;
            long long n = strtoll(optarg, &end, 10);
            if (errno || *end || n < 1)
                return usage("--credits-per-pass takes a number of credits, at least 1");
            o.credits_per_pass = n;
            break;
        }
        case 'a': o.actor = optarg; break;
        case 'q': quiet = true; break;
        case 'i': o.incremental = true; break;
        case 'h': at_cli_print_help(&at_command_calc, stdout); return 0;
        case ':': return usage("an option is missing its value");
        default: return usage("unknown option");
        }
    }
    if (optind < argc)
        return usage("unexpected argument: calc takes options only");
    if (!o.period)
        return usage("--period is required, e.g. --period 2026-03");
    if (!o.actor) {
        const char *user = getenv("USER");
        o.actor = user && user[0] ? user : "attain";
    }
    o.payees = payees;
    o.payee_count = payee_count;

    at_error err;
    at_store *store = NULL;
    at_code c = at_store_open(at_cli_db_path(db), NULL, &store, &err);
    if (c != AT_OK)
        return at_cli_report(&err);
    at_error_list problems;
    at_error_list_init(&problems, 20);
    at_pay_run_report rep;
    c = at_pay_run(store, &o, &rep, &problems, &err);
    print_problems(&problems);
    at_error_list_free(&problems);
    if (c != AT_OK) {
        at_store_close(store);
        return at_cli_report(&err);
    }
    if (quiet) {
        printf("%lld\n", (long long)rep.run_id);
    } else {
        double engine = rep.seconds_credit + rep.seconds_calculate;
        printf("run %lld: %s, months %s to %s stored\n", (long long)rep.run_id, o.period,
               rep.first_month, rep.last_month);
        printf("  %zu payee%s, %zu transactions, %zu credits, %zu earnings lines\n", rep.payees,
               rep.payees == 1 ? "" : "s", rep.transactions, rep.credits, rep.lines);
        if (rep.incremental)
            printf("  incremental from run %lld: %zu of %zu payee%s recomputed (inputs changed "
                   "or new), %zu gone, the others carried over (%lld rows)\n",
                   (long long)rep.base_run_id, rep.recomputed, rep.payees,
                   rep.payees == 1 ? "" : "s", rep.gone, (long long)rep.rows_carried);
        else if (o.incremental)
            printf("  full run: %s\n", rep.full_reason);
        if (rep.passes > 1)
            printf("  in %zu passes of at most %lld credits (memory: each pass keeps only its "
                   "payees' credits)\n",
                   rep.passes, (long long)rep.credits_per_pass);
        if (rep.incremental)
            printf("  load %.2f s, plans %.2f s, credit %.2f s, digest %.2f s, calculate %.2f "
                   "s, save %.2f s, carry %.2f s; total %.2f s\n",
                   rep.seconds_load, rep.seconds_plans, rep.seconds_credit, rep.seconds_digest,
                   rep.seconds_calculate, rep.seconds_save, rep.seconds_carry,
                   rep.seconds_total);
        else
            printf("  load %.2f s, plans %.2f s, credit %.2f s, calculate %.2f s, digest %.2f "
                   "s, save %.2f s; total %.2f s\n",
                   rep.seconds_load, rep.seconds_plans, rep.seconds_credit,
                   rep.seconds_calculate, rep.seconds_digest, rep.seconds_save,
                   rep.seconds_total);
        if (rep.seconds_total > 0 && engine > 0)
            printf("  %.0f credits/s end to end, %.0f credits/s in the engine; peak memory "
                   "%.0f MB\n",
                   (double)rep.credits / rep.seconds_total, (double)rep.credits / engine,
                   (double)rep.peak_rss_kb / 1024.0);
        printf("  input fingerprint %s\n", rep.input_sha256);
        print_totals(store, rep.last_month);
    }
    at_store_close(store);
    return 0;
}

const at_command at_command_calc = {
    "calc",
    "attain calc --period P [--db FILE] [--from P] [--payee ID]... [--incremental] "
    "[--credits-per-pass N] [--threads N]",
    "calculate pay for a period and store it as a run",
    HELP,
    run,
};
