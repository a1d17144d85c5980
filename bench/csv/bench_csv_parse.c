/* bench_csv_parse.c - how fast the CSV reader parses (and the writer writes).
 *
 *   bench_csv_parse FILE               parse FILE three times; print the best MB/s, records/s
 *                                      and fields/s
 *   bench_csv_parse --synthesize MB    first write a transactions-like file of about MB
 *                                      megabytes to /tmp/attain-bench-transactions.csv (with the
 *                                      CSV writer, timed), then parse it
 *
 * The synthetic file has 10 columns: transaction id, date, payee id, account id, product code,
 * quantity, a decimal amount, a currency code, a region and a description (one in ten quoted,
 * holding a comma, some with "" or non-ASCII). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"

#define SYNTH_PATH "/tmp/attain-bench-transactions.csv"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t next_random(uint64_t *state)
{
    /* splitmix64: fixed seed, same file every time */
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static int synthesize(const char *path, size_t megabytes)
{
    static const char *const currencies[] = {"USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF"};
    static const char *const regions[] = {"North America", "EMEA", "APAC", "LATAM"};
    static const char *const products[] = {"SKU-1001", "SKU-2040", "SVC-PRO", "SVC-BASIC",
                                           "LIC-ENT-3Y", "LIC-TEAM"};
    static const char *const notes[] = {
        "renewal", "new logo", "upsell", "\"Acme, Inc.\" expansion", "Q3 push, 2 seats",
        "cross-sell", "Zürich office", "said \"yes\" on call", "pilot", "multi-year"};
    at_error err;
    at_csv_writer *w;
    if (at_csv_writer_open(&w, path, NULL, &err) != AT_OK) {
        fprintf(stderr, "%s: %s\n", err.where, err.message);
        return 1;
    }
    const char *header[] = {"transaction_id", "date",     "payee_id", "account_id",
                            "product",        "quantity", "amount",   "currency",
                            "region",         "description"};
    at_code code = at_csv_write_cstrs(w, header, 10, &err);
    uint64_t rng = 42, target = (uint64_t)megabytes << 20, rows = 0;
    double t0 = now_seconds();
    while (code == AT_OK && at_csv_writer_bytes(w) < target) {
        uint64_t x = next_random(&rng);
        char date[16], amount[32];
        int day = (int)(x % 28) + 1, month = (int)((x >> 8) % 12) + 1;
        snprintf(date, sizeof date, "2024-%02d-%02d", month, day);
        uint64_t cents = (x >> 16) % 5000000;
        int n = snprintf(amount, sizeof amount, "%llu.%02llu", (unsigned long long)(cents / 100),
                         (unsigned long long)(cents % 100));
        code = at_csv_write_int64(w, (int64_t)(1000000000 + rows), &err);
        if (code == AT_OK) code = at_csv_write_cstr(w, date, &err);
        if (code == AT_OK) code = at_csv_write_int64(w, (int64_t)((x >> 24) % 10000) + 1, &err);
        if (code == AT_OK) code = at_csv_write_int64(w, (int64_t)((x >> 32) % 200000) + 1, &err);
        if (code == AT_OK) code = at_csv_write_cstr(w, products[(x >> 40) % 6], &err);
        if (code == AT_OK) code = at_csv_write_int64(w, (int64_t)((x >> 44) % 50) + 1, &err);
        if (code == AT_OK) code = at_csv_write_number(w, amount, (size_t)n, &err);
        if (code == AT_OK) code = at_csv_write_cstr(w, currencies[(x >> 50) % 7], &err);
        if (code == AT_OK) code = at_csv_write_cstr(w, regions[(x >> 54) % 4], &err);
        if (code == AT_OK) code = at_csv_write_cstr(w, notes[(x >> 58) % 10], &err);
        if (code == AT_OK) code = at_csv_end_record(w, &err);
        rows++;
    }
    uint64_t bytes = at_csv_writer_bytes(w);
    if (code == AT_OK)
        code = at_csv_writer_close(w, &err);
    else
        at_csv_writer_close(w, NULL);
    if (code != AT_OK) {
        fprintf(stderr, "%s: %s\n", err.where, err.message);
        return 1;
    }
    double secs = now_seconds() - t0;
    printf("wrote %s: %.1f MB, %llu records in %.2f s (%.0f MB/s with the CSV writer)\n", path,
           (double)bytes / 1e6, (unsigned long long)rows, secs, (double)bytes / 1e6 / secs);
    return 0;
}

static int parse_once(const char *path, double *secs, uint64_t *bytes, uint64_t *records,
                      uint64_t *fields)
{
    at_error err;
    at_csv_reader *r;
    if (at_csv_open(&r, path, NULL, &err) != AT_OK) {
        fprintf(stderr, "%s: %s\n", err.where, err.message);
        return 1;
    }
    const at_csv_record *rec;
    at_code code;
    uint64_t nrec = 0, nfield = 0;
    double t0 = now_seconds();
    while ((code = at_csv_next(r, &rec, &err)) == AT_OK && rec) {
        nrec++;
        nfield += rec->count;
    }
    *secs = now_seconds() - t0;
    *bytes = at_csv_bytes_read(r);
    at_csv_close(r);
    if (code != AT_OK) {
        fprintf(stderr, "%s: error: %s\n", err.where, err.message);
        return 1;
    }
    *records = nrec;
    *fields = nfield;
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    if (argc == 3 && strcmp(argv[1], "--synthesize") == 0) {
        long mb = strtol(argv[2], NULL, 10);
        if (mb <= 0) {
            fprintf(stderr, "usage: bench_csv_parse --synthesize MB\n");
            return 2;
        }
        if (synthesize(SYNTH_PATH, (size_t)mb) != 0)
            return 1;
        path = SYNTH_PATH;
    } else if (argc == 2 && argv[1][0] != '-') {
        path = argv[1];
    } else {
        fprintf(stderr, "usage: bench_csv_parse FILE | bench_csv_parse --synthesize MB\n");
        return 2;
    }
    double best = 0;
    uint64_t bytes = 0, records = 0, fields = 0;
    for (int run = 0; run < 3; run++) {
        double secs;
        if (parse_once(path, &secs, &bytes, &records, &fields) != 0)
            return 1;
        if (run == 0 || secs < best)
            best = secs;
    }
    printf("parsed %s: %.1f MB, %llu records, %llu fields\n", path, (double)bytes / 1e6,
           (unsigned long long)records, (unsigned long long)fields);
    printf("best of 3: %.3f s  %.0f MB/s  %.2f M records/s  %.1f M fields/s\n", best,
           (double)bytes / 1e6 / best, (double)records / 1e6 / best, (double)fields / 1e6 / best);
    return 0;
}
