/* import_impl.h - the importer's insides, shared by its files: the plan (which source feeds
 * which entity, import_plan.c), the run (import_run.c), one row's way from text to the store
 * (import_row.c), reference resolution (import_refs.c) and the checks that need other rows
 * (import_checks.c). Not for use outside src/import/. */
#ifndef ATTAIN_IMPORT_IMPORT_IMPL_H
#define ATTAIN_IMPORT_IMPORT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/fiscal.h"
#include "import/idmap.h"
#include "import/import.h"
#include "import/mapping.h"

/* ---- the plan ------------------------------------------------------------------------------ */

/* One thing to read for one entity: a canonical file, a mapped file's feed, or inline rows. */
typedef struct import_item {
    const at_entity *entity;
    size_t entity_index;      /* in the store's entities (import order) */
    size_t order;             /* the order the plan found it in (ties keep it) */
    const char *path;         /* the file to read; NULL for inline rows */
    uint16_t source;          /* index in import_ctx.sources (names for messages) */
    const at_map_file *mfile; /* a mapped file (NULL: canonical) */
    at_map_feed *feed;
    const at_map_inline *group; /* inline rows of the mapping */
} import_item;

typedef struct import_plan {
    import_item *items;
    size_t count, capacity;
} import_plan;

#define AT_IMPORT_MAX_FIELDS 64 /* rows wider than this skip the lookup prefetching */

/* ---- state per entity ----------------------------------------------------------------------- */

typedef struct deferred_row {
    at_value *values;         /* deep copy */
    char *where;              /* the row's place */
    char **ref_where;         /* per field: the place of a reference still waiting (or NULL) */
    size_t entry_index;       /* its entry in the entity's keys */
    bool done;
} deferred_row;

typedef struct entity_state {
    const at_entity *entity;
    size_t index;
    bool by_id;               /* the key is the id column */
    int id_field;             /* by_id: its index */
    int key_fields[8];
    size_t key_count;
    at_idmap keys;            /* key -> facts (stored ids of the database rows once loaded) */
    bool loaded;              /* the database's ids are in keys */
    bool touched;             /* this import has rows for it */
    deferred_row *deferred;
    size_t deferred_count, deferred_capacity;
    at_arena deferred_arena;
    at_import_tally *tally;
    struct entity_state **targets; /* per field: the entity a REF field refers to (or NULL) */
} entity_state;

/* ---- where a row comes from ----------------------------------------------------------------- */

typedef struct row_source {
    const import_item *item;
    at_csv_reader *reader;    /* files */
    const size_t *column_of;  /* canonical files: the source column of each field, or SIZE_MAX */
    size_t inline_row;        /* inline rows: which */
    uint32_t line;            /* the row's line, for "first at" messages */
} row_source;

/* ---- the run -------------------------------------------------------------------------------- */

typedef struct import_ctx {
    at_store *store;
    const at_import_options *options;
    at_mapping *mapping;
    at_import_result *result;
    at_error *err;            /* for fatal errors */
    import_plan plan;
    char **sources;           /* file names for messages, by item.source */
    size_t source_count, source_capacity;
    entity_state *states;     /* one per store entity */
    size_t state_count;
    at_arena row_arena;       /* reset for every row */
    at_arena run_arena;       /* lives for the run */
    at_fiscal_calendar calendar;
    bool have_calendar;
    char format_buf[16384];   /* at_field_format, key building */
    int64_t made_up_ids;      /* parse_only: the ids rows get instead of the store's */
    /* checks (import_checks.c) */
    void *checks;
} import_ctx;

/* import_plan.c: fills ctx->plan and ctx->sources from the paths (and the mapping); notes go
 * into the result. Fatal problems return an error in ctx->err. */
at_code import_plan_build(import_ctx *ctx, const char *const *paths, size_t path_count);
void import_plan_free(import_ctx *ctx);

/* import_row.c */
/* Records one problem (the list keeps the first max_errors). Returns AT_OK, or AT_ERR_NOMEM. */
at_code import_problem(import_ctx *ctx, at_code code, const char *where, const char *hint,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
at_code import_problem_err(import_ctx *ctx, const at_error *e);
/* The place of field (or the row when field < 0) of the current row of src. */
void import_where(import_ctx *ctx, const row_source *src, int field, char *buf, size_t size);
/* One row, as the canonical text of each field. Fatal errors only are returned. */
at_code import_row(import_ctx *ctx, entity_state *es, const row_source *src, const at_str *texts,
                   uint64_t row_hash);
/* After every item of an entity: the rows that waited for later rows of the same entity. */
at_code import_resolve_deferred(import_ctx *ctx, entity_state *es);

/* import_refs.c */
entity_state *import_state_of(import_ctx *ctx, const char *entity_name);
/* Loads the ids of the database's rows of an entity keyed by id (once). */
at_code import_refs_load(import_ctx *ctx, entity_state *es);
/* "person", "team", "opportunity": one row of the entity, for messages. */
const char *import_entity_noun(const at_entity *entity);
/* The key of a row as text (the id, or the natural key's fields joined with '|' for people and
 * \x1f inside the map): into ctx->format_buf. */
at_code import_row_key(import_ctx *ctx, const entity_state *es, const at_row *row, at_str *key,
                       bool for_people);

/* import_checks.c: the checks that need other rows. */
at_code import_checks_init(import_ctx *ctx);
void import_checks_free(import_ctx *ctx);
/* Per row, after its references are resolved and before it is stored: *bad when it fails. */
at_code import_checks_row(import_ctx *ctx, entity_state *es, const row_source *src,
                          const at_row *row, bool *bad);
/* After every row of an entity is stored. */
at_code import_checks_entity(import_ctx *ctx, entity_state *es);
/* After every entity. */
at_code import_checks_finish(import_ctx *ctx);

#endif
