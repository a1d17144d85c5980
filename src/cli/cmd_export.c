/* cmd_export.c - `attain export`: every entity of the database into a directory of canonical
 * CSV files (the shapes `attain import` reads back unchanged). */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "cli/commands.h"
#include "import/export.h"
#include "store/store.h"

static const char HELP[] =
    "Write every entity of the database to DIR as CSV files in attain's own shapes\n"
    "(docs/import.md): one file per entity, a header, then the rows in key order, with\n"
    "references as external ids. `attain import DIR` reads them back unchanged.\n"
    "DIR is created when missing; files in it with the same names are replaced.\n"
    "\n"
    "options:\n"
    "  --db FILE    the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  -h, --help   show this help\n"
    "\n"
    "example:\n"
    "  attain export --db demo/attain.db backup/\n";

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
    at_error err;
    va_list ap;
    va_start(ap, fmt);
    at_vfail(&err, AT_ERR_USAGE, NULL, "run `attain export --help`", fmt, ap);
    va_end(ap);
    return at_cli_report(&err);
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'h': at_cli_print_help(&at_command_export, stdout); return 0;
        default: return usage("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage(optind >= argc ? "give the directory to export to"
                                    : "give one directory to export to");
    const char *dir = argv[optind];
    const char *path = at_cli_db_path(db);
    at_error err;
    at_store_options sopts = {.read_only = true};
    at_store *store = NULL;
    if (at_store_open(path, &sopts, &store, &err) != AT_OK)
        return at_cli_report(&err);
    at_export_result result;
    int status = 0;
    if (at_export_run(store, dir, &result, &err) == AT_OK) {
        int64_t rows = 0;
        size_t files = 0;
        for (size_t i = 0; i < result.count; i++) {
            rows += result.counts[i].rows;
            files++;
        }
        printf("Exported %s to %s: %" PRId64 " rows in %zu files, %.1f MB in %.3f s\n", path, dir,
               rows, files, (double)result.bytes / 1e6, result.seconds);
    } else {
        status = at_cli_report(&err);
    }
    at_export_result_free(&result);
    at_store_close(store);
    return status;
}

const at_command at_command_export = {
    "export",
    "attain export [--db FILE] DIR",
    "write every entity to DIR as canonical CSV files",
    HELP,
    run,
};
