/* cmd_import.c - `attain import`: CSV files (or a CRM's own exports through a mapping) into the
 * database, all or nothing; prints every problem found, or what was inserted, updated and left
 * unchanged per entity with the speed. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "import/import.h"
#include "import/mapping.h"
#include "store/store.h"

static const char HELP[] =
    "Import CSV files into the database, all or nothing.\n"
    "\n"
    "Each PATH is a file or a directory (a directory stands for the CSV files in it).\n"
    "Without --map, each file is named after its entity (people.csv, transactions.csv, ...)\n"
    "and its header uses attain's column names, in any order: see docs/import.md.\n"
    "With --map, a mapping file says how another system's files (a CRM's exports) become\n"
    "attain's entities: see docs/mapping.md and examples/mappings/.\n"
    "\n"
    "Entities are imported in dependency order, whatever the order of the paths. Rows are\n"
    "inserted, or updated when their key exists and a value differs (the audit trail keeps\n"
    "before and after), or left unchanged: importing the same files twice changes nothing.\n"
    "Any problem (a bad value, an unknown reference, a duplicate key, a broken rule) is\n"
    "reported with its file:line:column, and nothing is written.\n"
    "\n"
    "options:\n"
    "  --db FILE          the database (default: $ATTAIN_DB, else ./attain.db; created\n"
    "                     when missing)\n"
    "  --map MAPPING      a mapping file (YAML) for files in another system's shape\n"
    "  --max-errors N     list at most N problems in full (default 50; the rest are counted)\n"
    "  --dry-run          check everything, write nothing\n"
    "  --reason TEXT      why, for the audit trail\n"
    "  --actor NAME       who, for the audit trail (default: $USER)\n"
    "  -h, --help         show this help\n"
    "\n"
    "examples:\n"
    "  attain import demo/                      (every entity file in demo/)\n"
    "  attain import people.csv teams.csv\n"
    "  attain import --map examples/mappings/maven-crm.yaml ../shared/data/maven-crm\n";

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
    at_error err;
    va_list ap;
    va_start(ap, fmt);
    at_vfail(&err, AT_ERR_USAGE, NULL, "run `attain import --help`", fmt, ap);
    va_end(ap);
    return at_cli_report(&err);
}

static void print_problems(const at_import_result *r)
{
    char buf[AT_ERROR_WHERE_MAX + AT_ERROR_MESSAGE_MAX + AT_ERROR_HINT_MAX + 32];
    for (size_t i = 0; i < r->errors.count; i++) {
        at_error_format(&r->errors.items[i], buf, sizeof buf);
        fputs(buf, stderr);
    }
    if (r->errors.total > r->errors.count)
        fprintf(stderr, "... and %zu more problem%s (--max-errors N lists more)\n",
                r->errors.total - r->errors.count,
                r->errors.total - r->errors.count == 1 ? "" : "s");
}

static void print_tallies(const char *db, const at_import_result *r, bool dry_run)
{
    int64_t rows = 0, ins = 0, upd = 0, same = 0, dropped = 0;
    if (dry_run)
        printf("Dry run on %s: no problems found; nothing was written.\n", db);
    else
        printf("Imported into %s (import #%" PRId64 "):\n", db, r->import_id);
    printf("  %-22s %10s %10s %10s %10s\n", "entity", "rows", "inserted", "updated", "unchanged");
    for (size_t i = 0; i < r->tally_count; i++) {
        const at_import_tally *t = &r->tallies[i];
        if (!t->rows && !t->dropped)
            continue;
        printf("  %-22s %10" PRId64 " %10" PRId64 " %10" PRId64 " %10" PRId64, t->entity->name,
               t->rows, t->inserted, t->updated, t->unchanged);
        if (t->dropped)
            printf("   (%" PRId64 " identical rows of distinct feeds dropped)", t->dropped);
        printf("\n");
        rows += t->rows;
        ins += t->inserted;
        upd += t->updated;
        same += t->unchanged;
        dropped += t->dropped;
    }
    printf("  %-22s %10" PRId64 " %10" PRId64 " %10" PRId64 " %10" PRId64 "\n", "total", rows, ins,
           upd, same);
    double secs = r->seconds > 0 ? r->seconds : 1e-9;
    printf("%" PRId64 " rows in %.3f s (%.0f rows/s); %.1f MB read (%.1f MB/s)\n", rows,
           r->seconds, (double)rows / secs, (double)r->bytes / 1e6, (double)r->bytes / 1e6 / secs);
    (void)dropped;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"map", required_argument, NULL, 'm'},
        {"max-errors", required_argument, NULL, 'e'},
        {"dry-run", no_argument, NULL, 'n'},
        {"reason", required_argument, NULL, 'r'},
        {"actor", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *map = NULL, *reason = NULL, *actor = NULL;
    size_t max_errors = 0;
    bool dry_run = false;
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'm': map = optarg; break;
        case 'r': reason = optarg; break;
        case 'a': actor = optarg; break;
        case 'n': dry_run = true; break;
        case 'e': {
            char *end;
            errno = 0;
            long long n = strtoll(optarg, &end, 10);
            if (errno || *end || n < 1 || n > 1000000)
                return usage("--max-errors takes a number from 1 to 1000000, not '%s'", optarg);
            max_errors = (size_t)n;
            break;
        }
        case 'h': at_cli_print_help(&at_command_import, stdout); return 0;
        default: return usage("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage("give the files or directories to import");
    at_error err;
    at_mapping *mapping = NULL;
    if (map && at_mapping_load(map, &mapping, &err) != AT_OK)
        return at_cli_report(&err);
    const char *path = at_cli_db_path(db);
    at_store_options sopts = {.create = true};
    at_store *store = NULL;
    if (at_store_open(path, &sopts, &store, &err) != AT_OK) {
        at_mapping_free(mapping);
        return at_cli_report(&err);
    }
    if (!actor) {
        actor = getenv("USER");
        if (!actor || !actor[0])
            actor = "import";
    }
    at_import_options opts = {.actor = actor, .reason = reason, .mapping = mapping,
                              .max_errors = max_errors, .dry_run = dry_run};
    at_import_result result;
    at_import_result_init(&result);
    at_code code = at_import_run(store, (const char *const *)(argv + optind),
                                 (size_t)(argc - optind), &opts, &result, &err);
    int status = 0;
    if (code == AT_OK) {
        print_tallies(path, &result, dry_run);
    } else {
        print_problems(&result);
        status = at_cli_report(&err);
    }
    for (size_t i = 0; i < result.note_count; i++)
        fprintf(stderr, "note: %s\n", result.notes[i]);
    at_import_result_free(&result);
    at_store_close(store);
    at_mapping_free(mapping);
    return status;
}

const at_command at_command_import = {
    "import",
    "attain import [--db FILE] [--map MAPPING] [--max-errors N] [--dry-run] PATH...",
    "import CSV files (or a CRM's exports through a mapping), all or nothing",
    HELP,
    run,
};
