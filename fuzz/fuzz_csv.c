/* fuzz_csv.c - libFuzzer target for the CSV reader and writer.
 *
 * The first two bytes choose the chunk size, the delimiter and the maximum record size; the
 * rest is the file. The reader must never crash or leak, whatever the bytes (and resume after
 * resumable errors). When the whole input parses, every record is written back with the
 * writer and read again: the records must be equal, field by field. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The records of the first read, flattened: count, then (length, bytes) per field. */
typedef struct flat {
    unsigned char *buf;
    size_t len, cap;
} flat;

static void flat_add(flat *f, const void *p, size_t n)
{
    if (f->len + n > f->cap) {
        size_t cap = (f->len + n) * 2 + 64;
        unsigned char *g = realloc(f->buf, cap);
        if (!g)
            abort();
        f->buf = g;
        f->cap = cap;
    }
    if (n)
        memcpy(f->buf + f->len, p, n);
    f->len += n;
}

static void flat_take(const flat *f, size_t *at, void *out, size_t n)
{
    if (*at + n > f->len)
        __builtin_trap();
    memcpy(out, f->buf + *at, n);
    *at += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const char delims[] = {',', ';', '\t', '|'};
    at_csv_options opts = {
        .chunk_size = 4 + data[0] % 61,
        .delimiter = delims[(data[0] >> 6) & 3],
        .max_record_size = data[1] < 128 ? 0 : (size_t)(data[1] - 127) * 8,
    };
    const uint8_t *in = data + 2;
    size_t len = size - 2;
    at_error err;
    at_csv_reader *r;
    const at_csv_record *rec;
    at_code code;

    /* 1: read everything, going on after resumable errors */
    if (at_csv_open_memory(&r, in, len, "fuzz.csv", &opts, &err) != AT_OK)
        __builtin_trap();
    bool clean = true;
    for (int errors = 0; errors < 1000;) {
        code = at_csv_next(r, &rec, &err);
        if (code != AT_OK) {
            if (code != AT_ERR_INVALID || !err.where[0] || !err.message[0])
                __builtin_trap();
            clean = false;
            errors++;
            continue;
        }
        if (!rec)
            break;
        char where[256];
        at_csv_where(r, rec->count - 1, where, sizeof where);
    }
    at_csv_close(r);
    if (!clean)
        return 0;

    /* 2: read again, keep a copy of the records and write them back */
    char *out = NULL;
    size_t out_len = 0;
    FILE *fp = open_memstream(&out, &out_len);
    if (!fp)
        return 0;
    at_csv_writer_options wopts = {.delimiter = opts.delimiter, .crlf = data[1] & 1,
                                   .buffer_size = data[1] & 2 ? 64 : 0};
    at_csv_writer *w;
    if (at_csv_writer_open_file(&w, fp, "out.csv", &wopts, &err) != AT_OK)
        __builtin_trap();
    if (at_csv_open_memory(&r, in, len, "fuzz.csv", &opts, &err) != AT_OK)
        __builtin_trap();
    flat f = {0};
    size_t records = 0;
    while ((code = at_csv_next(r, &rec, &err)) == AT_OK && rec) {
        records++;
        flat_add(&f, &rec->count, sizeof rec->count);
        for (size_t i = 0; i < rec->count; i++) {
            flat_add(&f, &rec->fields[i].len, sizeof rec->fields[i].len);
            flat_add(&f, rec->fields[i].ptr, rec->fields[i].len);
        }
        if (at_csv_write_record(w, rec->fields, rec->count, &err) != AT_OK)
            __builtin_trap();
    }
    if (code != AT_OK) /* the same bytes parsed cleanly a moment ago */
        __builtin_trap();
    at_csv_close(r);
    if (at_csv_writer_close(w, &err) != AT_OK)
        __builtin_trap();
    fclose(fp);

    /* 3: what was written reads back equal (other chunk size, default maximum) */
    at_csv_options again = {.chunk_size = 4 + data[1] % 29, .delimiter = opts.delimiter};
    if (at_csv_open_memory(&r, out, out_len, "out.csv", &again, &err) != AT_OK)
        __builtin_trap();
    size_t at = 0;
    for (size_t n = 0; n < records; n++) {
        if (at_csv_next(r, &rec, &err) != AT_OK || !rec)
            __builtin_trap();
        size_t count;
        flat_take(&f, &at, &count, sizeof count);
        if (count != rec->count)
            __builtin_trap();
        for (size_t i = 0; i < count; i++) {
            size_t flen;
            flat_take(&f, &at, &flen, sizeof flen);
            if (flen != rec->fields[i].len || at + flen > f.len ||
                (flen && memcmp(f.buf + at, rec->fields[i].ptr, flen) != 0))
                __builtin_trap();
            at += flen;
        }
    }
    if (at_csv_next(r, &rec, &err) != AT_OK || rec)
        __builtin_trap();
    at_csv_close(r);
    free(f.buf);
    free(out);
    return 0;
}
