/* cmd_generate.c - `attain generate`: writes the deterministic demo company as CSV files in
 * the canonical import shapes (src/gen/gen.h). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "gen/gen.h"

static at_code parse_int(const char *text, const char *flag, long long lo, long long hi,
                         long long *out, at_error *err)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!text[0] || *end || errno || v < lo || v > hi)
        return at_fail(err, AT_ERR_USAGE, flag, NULL, "'%s' is not a whole number from %lld to %lld",
                       text, lo, hi);
    *out = v;
    return AT_OK;
}

static at_code parse_start(const char *text, int *year, int *month, at_error *err)
{
    int y = 0, m = 0;
    char tail = 0;
    if (strlen(text) != 7 || sscanf(text, "%4d-%2d%c", &y, &m, &tail) != 2 || text[4] != '-' ||
        m < 1 || m > 12)
        return at_fail(err, AT_ERR_USAGE, "--start", "write the month as YYYY-MM, e.g. 2023-02",
                       "'%s' is not a month", text);
    *year = y;
    *month = m;
    return AT_OK;
}

static int run(int argc, char **argv)
{
    static const struct option longs[] = {
        {"size", required_argument, NULL, 's'},   {"seed", required_argument, NULL, 'r'},
        {"out", required_argument, NULL, 'o'},    {"months", required_argument, NULL, 'm'},
        {"start", required_argument, NULL, 't'},  {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    at_gen_options opts;
    at_gen_options_default(&opts, AT_GEN_SIZE_S);
    opts.months = 0;
    const char *size_text = "S", *seed_text = NULL, *months_text = NULL, *start_text = NULL;
    bool quiet = false;
    at_error err;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":s:r:o:m:t:qh", longs, NULL)) != -1) {
        switch (c) {
        case 's': size_text = optarg; break;
        case 'r': seed_text = optarg; break;
        case 'o': opts.out_dir = optarg; break;
        case 'm': months_text = optarg; break;
        case 't': start_text = optarg; break;
        case 'q': quiet = true; break;
        case 'h': at_cli_print_help(&at_command_generate, stdout); return 0;
        case ':':
            at_fail(&err, AT_ERR_USAGE, NULL, "see `attain help generate`",
                    "option '%s' needs a value", argv[optind - 1]);
            return at_cli_report(&err);
        default:
            at_fail(&err, AT_ERR_USAGE, NULL, "see `attain help generate`",
                    "unknown option '%s'", argv[optind - 1]);
            return at_cli_report(&err);
        }
    }
    if (optind < argc) {
        at_fail(&err, AT_ERR_USAGE, NULL, "give the directory with --out DIR",
                "unexpected argument '%s'", argv[optind]);
        return at_cli_report(&err);
    }
    at_gen_size size;
    if (at_gen_size_parse(size_text, &size, &err) != AT_OK)
        return at_cli_report(&err);
    opts.size = size;
    long long v = 0;
    if (seed_text) {
        char *end = NULL;
        errno = 0;
        unsigned long long s = strtoull(seed_text, &end, 10);
        if (!seed_text[0] || *end || errno || seed_text[0] == '-') {
            at_fail(&err, AT_ERR_USAGE, "--seed", "give a whole number such as 42",
                    "'%s' is not a seed", seed_text);
            return at_cli_report(&err);
        }
        opts.seed = s;
    }
    if (months_text) {
        if (parse_int(months_text, "--months", 1, AT_GEN_MAX_MONTHS, &v, &err) != AT_OK)
            return at_cli_report(&err);
        opts.months = (int)v;
    }
    if (start_text && parse_start(start_text, &opts.start_year, &opts.start_month, &err) != AT_OK)
        return at_cli_report(&err);
    if (!opts.out_dir) {
        at_fail(&err, AT_ERR_USAGE, NULL, "e.g. attain generate --size S --seed 42 --out demo",
                "--out DIR is required");
        return at_cli_report(&err);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    at_gen_stats stats;
    if (at_gen_run(&opts, &stats, &err) != AT_OK)
        return at_cli_report(&err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!quiet) {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("demo company: size %s, seed %" PRIu64 ", %d months from %04d-%02d, into %s\n",
               at_gen_size_name(opts.size), opts.seed, stats.months, stats.start_year,
               stats.start_month, opts.out_dir);
        for (size_t i = 0; i < AT_GEN_FILE_COUNT; i++)
            printf("  %-26s %12" PRIu64 " rows\n", at_gen_file_name(i), stats.rows[i]);
        printf("%" PRIu64 " bytes in %.2f s (%.0f MB/s)\n", stats.bytes, secs,
               secs > 0 ? (double)stats.bytes / secs / 1e6 : 0.0);
    }
    return 0;
}

const at_command at_command_generate = {
    "generate",
    "attain generate --out DIR [--size S|M|L] [--seed N] [--months N] [--start YYYY-MM]",
    "write the deterministic demo company as CSV files ready to import",
    "Writes a plausible B2B software company (Brightline Software: people and teams,\n"
    "territories and accounts, products, leads, hand-offs, opportunities with stage history,\n"
    "activities, scorecards, transactions, quotas, plans, employment events, surveys) as one\n"
    "CSV file per entity, in the shapes `attain import` reads (docs/import.md). The same\n"
    "options always give byte-identical files. docs/demo-data.md says what is planted in\n"
    "the data for the performance features to find.\n"
    "\n"
    "options:\n"
    "  --out DIR        directory to write (created if missing; files are replaced)\n"
    "  --size S|M|L     S: ~1,000 people, ~100k transactions a month, 36 months (default)\n"
    "                   M: ~10k people, ~10M transactions a month, 3 months (~1 GB a month)\n"
    "                   L: ~100k people, ~100M transactions a month, 1 month (~10 GB)\n"
    "  --seed N         random seed (default 42); another seed, another company of the same shape\n"
    "  --months N       months of history, 1..120 (default: the size's)\n"
    "  --start YYYY-MM  first month (default: the months before the end of fiscal 2026,\n"
    "                   i.e. ending January 2026; fiscal years start in February)\n"
    "  --quiet          print nothing on success\n"
    "\n"
    "examples:\n"
    "  attain generate --out demo                       # size S, seed 42, Feb 2023 - Jan 2026\n"
    "  attain generate --size S --seed 7 --months 6 --out /tmp/small\n"
    "  attain generate --size M --months 1 --out /tmp/m   # streams about 1 GB\n"
    "  attain generate --out demo && attain import --db demo.db demo\n",
    run,
};
