/* cmd_summary.c - `attain summary`: what the database holds, in a few figures a person can
 * read: rows per entity, people by role, open pipeline and won amounts by currency,
 * transactions of the last 12 months by type with their totals, the win rate of closed
 * opportunities, and the span of dates the data covers. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/money.h"
#include "store/store.h"

static const char HELP[] =
    "Print what the database holds: rows per entity and a few headline figures.\n"
    "\n"
    "  - people by role\n"
    "  - open pipeline and won amounts, by currency (opportunities)\n"
    "  - transactions of the 12 months up to the latest transaction (or --as-of), by type\n"
    "    and currency, with the total per currency\n"
    "  - win rate: won / (won + lost) of the closed opportunities\n"
    "  - the first and last business date in the data (transactions, opportunities,\n"
    "    activities, leads)\n"
    "Amounts are never converted between currencies here.\n"
    "\n"
    "options:\n"
    "  --db FILE           the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  --as-of YYYY-MM-DD  end the 12 months of transactions on this day\n"
    "  -h, --help          show this help\n"
    "\n"
    "examples:\n"
    "  attain summary --db demo/attain.db\n"
    "  attain summary --as-of 2025-12-31\n";

static void print_money_list(const char *title, const at_store_figure *list, size_t count)
{
    printf("\n%s\n", title);
    if (!count) {
        printf("  (none)\n");
        return;
    }
    for (size_t i = 0; i < count; i++) {
        char amount[48];
        at_cli_format_amount(list[i].amount, amount, sizeof amount);
        printf("  %-4s %10" PRId64 " deals %22s\n", list[i].currency[0] ? list[i].currency : "-",
               list[i].count, amount);
    }
}

static void print_transactions(const at_store_summary *s)
{
    char from[AT_DATE_TEXT_MAX], to[AT_DATE_TEXT_MAX];
    if (!s->has_transactions) {
        printf("\nTransactions\n  (none)\n");
        return;
    }
    at_day_format(s->transactions_from, from, sizeof from);
    at_day_format(s->transactions_to, to, sizeof to);
    printf("\nTransactions, %s to %s (at most the last 12 months)\n", from, to);
    for (size_t i = 0; i < s->transaction_count; i++) {
        char amount[48];
        at_cli_format_amount(s->transactions[i].amount, amount, sizeof amount);
        printf("  %-13s %-4s %10" PRId64 " %22s\n", s->transactions[i].label,
               s->transactions[i].currency, s->transactions[i].count, amount);
    }
    /* totals per currency (the list is sorted by type, then currency) */
    for (size_t i = 0; i < s->transaction_count; i++) {
        const char *cur = s->transactions[i].currency;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(s->transactions[j].currency, cur) == 0;
        if (seen)
            continue;
        int64_t count = 0;
        __int128 total = 0;
        for (size_t j = i; j < s->transaction_count; j++)
            if (strcmp(s->transactions[j].currency, cur) == 0) {
                count += s->transactions[j].count;
                total += s->transactions[j].amount;
            }
        char amount[48];
        if (total > INT64_MAX || total < INT64_MIN)
            snprintf(amount, sizeof amount, "(too large)");
        else
            at_cli_format_amount((at_money)total, amount, sizeof amount);
        printf("  %-13s %-4s %10" PRId64 " %22s\n", "total", cur, count, amount);
    }
    if (!s->transaction_count)
        printf("  (none)\n");
}

static void print_summary(const char *path, const at_store_summary *s)
{
    printf("%s\n\nRows\n", path);
    for (size_t i = 0; i < s->entity_count; i++)
        printf("  %-22s %12" PRId64 "\n", s->entities[i].label, s->entities[i].count);
    printf("\nPeople by role\n");
    if (!s->role_count)
        printf("  (none)\n");
    for (size_t i = 0; i < s->role_count; i++)
        printf("  %-22s %12" PRId64 "\n", s->people_by_role[i].label, s->people_by_role[i].count);
    print_money_list("Open pipeline (open opportunities)", s->open_pipeline, s->open_count);
    print_money_list("Won (won opportunities)", s->won, s->won_count);
    print_transactions(s);
    printf("\nWin rate of closed opportunities: ");
    if (s->has_win_rate) {
        char pct[32];
        at_rate_format_percent(s->win_rate, 1, pct, sizeof pct);
        printf("%s (%" PRId64 " won, %" PRId64 " lost)\n", pct, s->opportunities_won,
               s->opportunities_lost);
    } else {
        printf("none closed yet\n");
    }
    if (s->has_dates) {
        char first[AT_DATE_TEXT_MAX], last[AT_DATE_TEXT_MAX];
        at_day_format(s->first_day, first, sizeof first);
        at_day_format(s->last_day, last, sizeof last);
        printf("Data from %s to %s\n", first, last);
    } else {
        printf("Data: no dated rows yet\n");
    }
}

static int usage(const char *fmt, const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help summary` for the options", fmt, detail);
    return at_cli_report(&err);
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"as-of", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    at_day as_of = 0;
    bool has_as_of = false;
    at_error err;
    optind = 0; /* glibc: start a fresh scan */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'a':
            if (at_day_parse(at_str_from(optarg), &as_of, &err) != AT_OK) {
                at_error_prefix_where(&err, "--as-of");
                return at_cli_report(&err);
            }
            has_as_of = true;
            break;
        case 'h': at_cli_print_help(&at_command_summary, stdout); return 0;
        default: return usage("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage("unexpected argument '%s'", argv[optind]);
    const char *path = at_cli_db_path(db);
    at_store *store = NULL;
    if (at_store_open(path, NULL, &store, &err) != AT_OK)
        return at_cli_report(&err);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_summary summary;
    int status = 0;
    if (at_store_summarize(store, has_as_of ? &as_of : NULL, &arena, &summary, &err) == AT_OK)
        print_summary(path, &summary);
    else
        status = at_cli_report(&err);
    at_arena_free(&arena);
    at_store_close(store);
    return status;
}

const at_command at_command_summary = {
    "summary",
    "attain summary [--db FILE] [--as-of YYYY-MM-DD]",
    "what the database holds: rows per entity and headline figures",
    HELP,
    run,
};
