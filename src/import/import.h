/* import.h - `attain import`: CSV files (canonical ones, or a CRM's own through a mapping file)
 * into the store, all or nothing.
 *
 * The paths are files or directories (a directory stands for the files in it). Without a
 * mapping each file's name says its entity (people.csv) and its header uses the canonical
 * column names of docs/import.md, in any order. With a mapping, the mapping names the files and
 * says what they feed (mapping.h). Either way entities are imported in dependency order
 * (at_entities[]), whatever the order of the paths.
 *
 * Everything happens in one store transaction. Every cell goes through at_field_parse, every
 * row through its entity's rule, the references are resolved against the database and the rows
 * of this import (a reference to a later row of the same entity, such as a parent account
 * further down the file, waits for it), keys must not repeat within the import, and the checks
 * that need other rows (model/checks.h) run once an entity is complete. The import keeps going
 * after an error so that one run lists every problem (the first max_errors in full, the rest
 * counted); any error rolls everything back and leaves the database as it was. Rows are upserted
 * by key: importing the same files again changes nothing. Files are streamed, never held whole. */
#ifndef ATTAIN_IMPORT_IMPORT_H
#define ATTAIN_IMPORT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/csv.h"
#include "core/error.h"
#include "import/mapping.h"
#include "model/entity.h"
#include "store/store.h"

#define AT_IMPORT_DEFAULT_MAX_ERRORS 50

typedef struct at_import_options {
    const char *actor;          /* who imports, for the audit trail (NULL: "import") */
    const char *reason;         /* why (may be NULL) */
    at_mapping *mapping;        /* NULL: canonical files */
    size_t max_errors;          /* errors kept in full; 0: AT_IMPORT_DEFAULT_MAX_ERRORS */
    bool dry_run;               /* check everything, then roll back */
    size_t chunk_size;          /* the CSV reader's read size (0: its default; tests: tiny) */
    bool parse_only;            /* benchmarks: read, convert, check and resolve every row, but
                                   write nothing (rows get made-up ids; checks that read the
                                   store back are skipped) */
} at_import_options;

typedef struct at_import_tally {
    const at_entity *entity;
    int64_t rows;               /* rows made for the entity (from files and the mapping) */
    int64_t inserted, updated, unchanged;
    int64_t dropped;            /* rows of distinct feeds identical to one made before */
} at_import_tally;

typedef struct at_import_result {
    at_import_tally *tallies;   /* one per entity of the store, in import order */
    size_t tally_count;
    int64_t rows_written;       /* inserted + updated + unchanged */
    uint64_t bytes;             /* bytes of source files read */
    double seconds;             /* wall time of the whole import */
    int64_t import_id;          /* the imports record (0 when nothing was committed) */
    bool committed;
    at_error_list errors;       /* every problem found (kept up to max_errors, all counted) */
    char **notes;               /* things people should know that are not errors: files in a
                                   directory that were not imported, and why */
    size_t note_count;
} at_import_result;

void at_import_result_init(at_import_result *result);
void at_import_result_free(at_import_result *result);

/* Imports the paths. Returns AT_OK when the import was committed (or, with dry_run, when it
 * found no problem). AT_ERR_INVALID when the data has problems: result->errors lists them and
 * nothing was written. Other codes (a path that cannot be read, a mapping that names a missing
 * file, the database failing) are in err, also with nothing written. */
at_code at_import_run(at_store *store, const char *const *paths, size_t path_count,
                      const at_import_options *options, at_import_result *result, at_error *err);

#endif
