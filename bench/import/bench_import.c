/* bench_import.c - how fast `attain import` reads and stores one file.
 *
 *   bench_import [--parse-only] DB FILE...
 *
 * DB must hold what FILE refers to (import the other files of the same data first). Runs the
 * import of FILE twice: parse only (CSV, every cell converted and checked, references resolved,
 * keys checked; nothing written) and for real (then rolled back, so the run can be repeated),
 * and prints MB/s and rows/s of each as "parse ..." and "store ..." lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "store/store.h"

static int run(at_store *store, const char *const *paths, size_t n, bool parse_only,
               const char *label)
{
    at_import_options opts = {.actor = "bench", .parse_only = parse_only, .dry_run = true};
    at_import_result r;
    at_import_result_init(&r);
    at_error err;
    if (at_import_run(store, paths, n, &opts, &r, &err) != AT_OK) {
        fprintf(stderr, "bench_import: %s: %s\n", err.where, err.message);
        for (size_t i = 0; i < r.errors.count && i < 5; i++)
            fprintf(stderr, "  %s: %s\n", r.errors.items[i].where, r.errors.items[i].message);
        at_import_result_free(&r);
        return 1;
    }
    int64_t rows = 0;
    for (size_t i = 0; i < r.tally_count; i++)
        rows += r.tallies[i].rows;
    double s = r.seconds > 0 ? r.seconds : 1e-9;
    printf("%s %lld rows %.1f MB %.3f s %.1f MB/s %.0f rows/s\n", label, (long long)rows,
           (double)r.bytes / 1e6, r.seconds, (double)r.bytes / 1e6 / s, (double)rows / s);
    at_import_result_free(&r);
    return 0;
}

int main(int argc, char **argv)
{
    bool parse_only = argc > 1 && strcmp(argv[1], "--parse-only") == 0;
    if (parse_only) {
        argc--;
        argv++;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: bench_import [--parse-only] DB FILE...\n");
        return 2;
    }
    at_store *store;
    at_error err;
    if (at_store_open(argv[1], NULL, &store, &err) != AT_OK) {
        fprintf(stderr, "bench_import: %s: %s\n", err.where, err.message);
        return 1;
    }
    const char *const *paths = (const char *const *)(argv + 2);
    size_t n = (size_t)(argc - 2);
    int status = run(store, paths, n, true, "parse");
    if (status == 0 && !parse_only)
        status = run(store, paths, n, false, "store");
    at_store_close(store);
    return status;
}
