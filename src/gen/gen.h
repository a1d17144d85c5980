/* gen.h - the deterministic demo company (`attain generate`): a B2B software company with its
 * sales organisation, territories, accounts, pipeline, transactions, quotas and plans, written
 * as CSV files in the canonical import shapes (one file per entity, docs/import.md).
 *
 * The same options (size, seed, months, start) always give byte-identical files; a different
 * seed gives different people, accounts, deals and amounts but the same shape (org structure,
 * ids of the planted reps and territories). Large sizes stream: transactions are generated
 * month by month and never held in memory. What the data hides on purpose (the planted
 * structure that later features must find) is written down in docs/demo-data.md. */
#ifndef ATTAIN_GEN_GEN_H
#define ATTAIN_GEN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef enum at_gen_size {
    AT_GEN_SIZE_S = 0, /* ~1,000 people, ~100k transactions a month, 36 months by default */
    AT_GEN_SIZE_M,     /* ~10k people, ~10M transactions a month, 3 months by default */
    AT_GEN_SIZE_L,     /* ~100k people, ~100M transactions a month, 1 month by default */
} at_gen_size;

/* The last month of the default window: the data ends with fiscal year 2026 (February 2025 to
 * January 2026), so the default window is the `months` calendar months up to January 2026. */
#define AT_GEN_DEFAULT_END_YEAR 2026
#define AT_GEN_DEFAULT_END_MONTH 1
#define AT_GEN_MAX_MONTHS 120

typedef struct at_gen_options {
    at_gen_size size;
    uint64_t seed;
    int months;      /* calendar months of history, 1..AT_GEN_MAX_MONTHS; 0 = the size's default */
    int start_year;  /* first month of the window; 0 = months before the default end */
    int start_month; /* 1..12 (with start_year) */
    const char *out_dir; /* created if missing; existing files of the same names are replaced */
    /* For tests: scales the high-volume subscription and usage transactions down (1000 = as
     * the size says; 100 = a tenth). 0 means 1000. Nothing else changes. */
    int volume_permille;
} at_gen_options;

/* What a run wrote: rows per file (in the order of at_gen_file_name) and the bytes. */
#define AT_GEN_FILE_COUNT 28
typedef struct at_gen_stats {
    uint64_t rows[AT_GEN_FILE_COUNT];
    uint64_t bytes;
    uint64_t transactions; /* rows of transactions.csv */
    int months;
    int start_year, start_month;
} at_gen_stats;

/* Fills the defaults for a size (seed 42, the size's months, the default window). */
void at_gen_options_default(at_gen_options *opts, at_gen_size size);

/* "S", "M", "L" parse case-insensitively; AT_ERR_USAGE otherwise. */
at_code at_gen_size_parse(const char *text, at_gen_size *out, at_error *err);
const char *at_gen_size_name(at_gen_size size);
int at_gen_default_months(at_gen_size size);

/* The file names, in import order ("settings.csv" ... "survey_responses.csv"). */
const char *at_gen_file_name(size_t index);

/* Generates the company into opts->out_dir. AT_ERR_USAGE for bad options (months out of range,
 * a start before 2000 or after 2090), AT_ERR_IO when a file cannot be written (a full disk,
 * no permission; the message names the file), AT_ERR_NOMEM. stats may be NULL. On failure
 * the files written so far are left in place (partial). */
at_code at_gen_run(const at_gen_options *opts, at_gen_stats *stats, at_error *err);

#endif
