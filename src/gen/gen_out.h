/* gen_out.h - the generator's output files: one CSV writer per entity file, opened with its
 * canonical header, and small field writers that remember the first error (so generation code
 * writes a whole row and checks once). Money through at_money_format, days and times through
 * the core date formatters, rates through at_rate_format: no floating point anywhere. */
#ifndef ATTAIN_GEN_OUT_H
#define ATTAIN_GEN_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "gen/gen.h"

typedef enum gen_file_id {
    GF_SETTINGS = 0,
    GF_EXCHANGE_RATES,
    GF_TEAMS,
    GF_PEOPLE,
    GF_REPORTING_LINES,
    GF_TERRITORIES,
    GF_TERRITORY_RULES,
    GF_ACCOUNTS,
    GF_TERRITORY_ACCOUNTS,
    GF_TERRITORY_PEOPLE,
    GF_PRODUCTS,
    GF_STAGES,
    GF_LEADS,
    GF_HANDOFFS,
    GF_OPPORTUNITIES,
    GF_OPPORTUNITY_PRODUCTS,
    GF_STAGE_HISTORY,
    GF_ACTIVITIES,
    GF_SCORECARD_TEMPLATES,
    GF_SCORECARD_POINTS,
    GF_SCORECARD_RESPONSES,
    GF_TRANSACTIONS,
    GF_TRANSACTION_PEOPLE,
    GF_QUOTAS,
    GF_METRICS,
    GF_PLAN_ASSIGNMENTS,
    GF_EMPLOYMENT_EVENTS,
    GF_SURVEY_RESPONSES,
    GF_COUNT_REAL, /* files actually written */
} gen_file_id;

/* The header of a file, NULL-terminated column names. */
const char *const *gen_file_columns(gen_file_id id);
const char *gen_file_basename(gen_file_id id);

typedef struct gen_file {
    at_csv_writer *w;
    uint64_t rows;
    int field; /* fields written in the current row, to check row shape in debug builds */
    int columns;
} gen_file;

typedef struct gen_out {
    char dir[4096];
    gen_file files[GF_COUNT_REAL];
    at_code status; /* the first error, AT_OK while all is well */
    uint64_t bytes; /* written by the files closed so far */
    at_error err;
} gen_out;

/* Creates the directory if needed. */
at_code gen_out_init(gen_out *out, const char *dir, at_error *err);
/* Opens a file and writes its header. */
at_code gen_out_open(gen_out *out, gen_file_id id);
/* Closes one file (keeping its row count). */
at_code gen_out_close(gen_out *out, gen_file_id id);
/* Closes whatever is still open; returns out->status (copied into err). */
at_code gen_out_finish(gen_out *out, at_error *err);

/* Field writers: each writes one field of the current row of file f. */
void gen_str(gen_out *o, gen_file_id f, const char *s);
void gen_strn(gen_out *o, gen_file_id f, const char *s, size_t n);
void gen_empty(gen_out *o, gen_file_id f);
void gen_int(gen_out *o, gen_file_id f, int64_t v);
void gen_int_opt(gen_out *o, gen_file_id f, bool present, int64_t v);
void gen_money(gen_out *o, gen_file_id f, at_money v);
void gen_rate(gen_out *o, gen_file_id f, at_rate v);
void gen_day(gen_out *o, gen_file_id f, at_day d);
void gen_day_opt(gen_out *o, gen_file_id f, at_day d); /* GEN_NO_DAY -> empty */
void gen_time(gen_out *o, gen_file_id f, at_time t);
void gen_bool(gen_out *o, gen_file_id f, bool b);
/* Micro-degrees as decimal degrees with 6 decimals. */
void gen_coord(gen_out *o, gen_file_id f, int64_t micro);
/* An id such as "P0000123": prefix and a zero-padded number of `width` digits. */
void gen_id(gen_out *o, gen_file_id f, const char *prefix, uint64_t n, int width);
void gen_id_opt(gen_out *o, gen_file_id f, const char *prefix, int64_t n, int width); /* n<0: empty */
void gen_end(gen_out *o, gen_file_id f);

#define GEN_NO_DAY INT32_MIN

/* Formats prefix + zero-padded number into buf (size >= 32). */
void gen_format_id(char *buf, size_t size, const char *prefix, uint64_t n, int width);

#endif
