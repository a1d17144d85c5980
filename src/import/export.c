/* export.c - the store's rows back to canonical CSV files (see export.h): one file per entity,
 * values through at_field_format, written to NAME.tmp and renamed when complete. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/csv.h"
#include "import/export.h"

typedef struct export_ctx {
    at_csv_writer *w;
    char buf[16384];
    int64_t rows;
} export_ctx;

static at_code write_row(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    export_ctx *x = vctx;
    const at_entity *e = row->entity;
    for (size_t f = 0; f < e->field_count; f++) {
        at_str text;
        at_code code = at_field_format(&e->fields[f], &row->values[f], x->buf, sizeof x->buf,
                                       &text, err);
        if (code != AT_OK || (code = at_csv_write_field(x->w, text, err)) != AT_OK)
            return code;
    }
    x->rows++;
    return at_csv_end_record(x->w, err);
}

static at_code export_entity(at_store *store, const at_entity *e, const char *dir,
                             export_ctx *x, uint64_t *bytes, at_error *err)
{
    size_t len = strlen(dir) + strlen(e->file) + 8;
    char *path = malloc(len), *tmp = malloc(len);
    if (!path || !tmp) {
        free(path);
        free(tmp);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    }
    snprintf(path, len, "%s/%s", dir, e->file);
    snprintf(tmp, len, "%s/%s.tmp", dir, e->file);
    at_code code = at_csv_writer_open(&x->w, tmp, NULL, err);
    if (code == AT_OK) {
        x->rows = 0;
        for (size_t f = 0; code == AT_OK && f < e->field_count; f++)
            code = at_csv_write_cstr(x->w, e->fields[f].name, err);
        if (code == AT_OK)
            code = at_csv_end_record(x->w, err);
        if (code == AT_OK)
            code = at_store_each_row(store, e, write_row, x, err);
        *bytes += at_csv_writer_bytes(x->w);
        at_error cerr;
        at_code closed = at_csv_writer_close(x->w, &cerr);
        x->w = NULL;
        if (code == AT_OK && closed != AT_OK) {
            code = closed;
            if (err)
                *err = cerr;
        }
        if (code == AT_OK && rename(tmp, path) != 0)
            code = at_fail_errno(err, AT_ERR_IO, path, "rename the finished file into place");
        if (code != AT_OK)
            remove(tmp);
    }
    free(path);
    free(tmp);
    return code;
}

at_code at_export_run(at_store *store, const char *dir, at_export_result *result, at_error *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(result, 0, sizeof *result);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return at_fail_errno(err, AT_ERR_IO, dir, "create the export directory");
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return at_fail(err, AT_ERR_IO, dir, "give a directory (it is created when missing)",
                       "%s is not a directory", dir);
    size_t n = at_store_entity_count(store);
    result->counts = calloc(n ? n : 1, sizeof *result->counts);
    export_ctx *x = malloc(sizeof *x);
    if (!result->counts || !x) {
        free(x);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    }
    result->count = n;
    at_code code = AT_OK;
    for (size_t i = 0; code == AT_OK && i < n; i++) {
        const at_entity *e = at_store_entity_at(store, i);
        result->counts[i].entity = e;
        code = export_entity(store, e, dir, x, &result->bytes, err);
        result->counts[i].rows = x->rows;
    }
    free(x);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    result->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return code;
}

void at_export_result_free(at_export_result *result)
{
    if (!result)
        return;
    free(result->counts);
    memset(result, 0, sizeof *result);
}
