/* export.h - `attain export`: every entity of the store written to a directory in the
 * canonical CSV shapes of docs/import.md (header, then rows in key order, references as
 * external ids), so that exported files import back unchanged: import -> export -> import ->
 * export gives identical files. Each file is written beside its final name and renamed into
 * place when complete, so a failed export never leaves half a file under a real name. */
#ifndef ATTAIN_IMPORT_EXPORT_H
#define ATTAIN_IMPORT_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "model/entity.h"
#include "store/store.h"

typedef struct at_export_count {
    const at_entity *entity;
    int64_t rows;
} at_export_count;

typedef struct at_export_result {
    at_export_count *counts; /* one per entity of the store, in import order */
    size_t count;
    uint64_t bytes;
    double seconds;
} at_export_result;

/* Writes every entity to dir (created when missing; its parent must exist). */
at_code at_export_run(at_store *store, const char *dir, at_export_result *result, at_error *err);
void at_export_result_free(at_export_result *result);

#endif
