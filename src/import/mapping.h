/* mapping.h - mapping files: how a CRM's own export files become attain's entities, without
 * editing the files (docs/mapping.md is the user's guide; examples/mappings/ has real ones).
 *
 * A mapping (YAML) names source files and, for each, the entities it feeds. One source file may
 * feed several entities (a pipeline export feeds opportunities, their products and, for won
 * rows, bookings). For each entity it says how each column is made: taken from a source column,
 * built from a template ("{First Name} {Last Name}") or a constant; then passed through a value
 * map ("Closed Won" -> won), conversions (dates, money, percent, scale) and a default. Rows may
 * be filtered (where) and generated duplicates dropped (distinct). Rows the sources lack (the
 * stages, the settings) can be written in the mapping itself.
 *
 * This module owns the format: loading (with libyaml; every error says mapping-file
 * line:column), binding a feed to the header of the file it reads, and applying it to one
 * record to get the canonical text of every field. The importer (import.h) does the rest, the
 * same way as for canonical files. */
#ifndef ATTAIN_IMPORT_MAPPING_H
#define ATTAIN_IMPORT_MAPPING_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/str.h"
#include "import/convert.h"
#include "model/entity.h"

#define AT_MAPPING_VERSION 1

/* A place in the mapping file (1-based), for messages. */
typedef struct at_map_place {
    unsigned line, column;
} at_map_place;

/* A value map: source values (exact bytes) to attain values. Sorted by from. */
typedef struct at_value_map {
    const char *name; /* the name under maps:, or "" for a map written in the column */
    at_map_place place;
    size_t count;
    at_str *from;
    at_str *to;
} at_value_map;

typedef enum at_map_unmapped {
    AT_UNMAPPED_ERROR = 0, /* a value missing from the map is an error (the default) */
    AT_UNMAPPED_KEEP,      /* it goes through as it is */
    AT_UNMAPPED_EMPTY,     /* it becomes empty */
} at_map_unmapped;

typedef enum at_map_source {
    AT_MAP_FROM = 0,  /* a source column */
    AT_MAP_TEMPLATE,  /* text with {Column} placeholders */
    AT_MAP_VALUE,     /* a constant */
} at_map_source;

typedef enum at_map_test {
    AT_WHERE_IN = 0,   /* the value is one of values (a single value: equals) */
    AT_WHERE_NOT_IN,   /* it is none of them */
    AT_WHERE_EMPTY,    /* it is empty */
    AT_WHERE_NOT_EMPTY,
} at_map_test;

typedef struct at_map_condition {
    at_map_place place;
    at_str column;
    size_t index;       /* bound */
    at_map_test test;
    at_str *values;
    size_t value_count;
} at_map_condition;

typedef struct at_map_template_part {
    bool is_column;
    at_str text;        /* literal text, or the column's name */
    size_t index;       /* the column's index in the source (bound) */
} at_map_template_part;

/* How one field of the entity is made. */
typedef struct at_map_column {
    int field;          /* the field's index in the entity */
    at_map_place place;
    at_map_source source;
    at_str from;        /* AT_MAP_FROM: the source column's name */
    size_t from_index;  /* bound */
    at_map_template_part *parts;
    size_t part_count;
    at_str template_text; /* AT_MAP_TEMPLATE, as written */
    at_str value;       /* AT_MAP_VALUE */
    const at_value_map *map; /* NULL: none */
    at_map_unmapped unmapped;
    at_convert *converts;
    size_t convert_count;
    bool has_default;
    at_str default_value;
    at_map_condition *where; /* the column is filled only on rows that meet these (else empty) */
    size_t where_count;
} at_map_column;

/* One entity fed by a source file. */
typedef struct at_map_feed {
    const at_entity *entity;
    at_map_place place;
    bool canonical;     /* no columns: the source uses attain's column names (import.md) */
    bool distinct;      /* a row identical to one already made in this import is dropped */
    at_map_column *columns;
    size_t column_count;
    int *by_field;      /* entity->field_count entries: index into columns, or -1 */
    at_map_condition *where;
    size_t where_count;
    size_t max_index;   /* bound: the highest source column index it reads */
} at_map_feed;

typedef struct at_map_file {
    const char *file;   /* the file's name ("sales_pipeline.csv"), no directory */
    at_map_place place;
    char delimiter;     /* 0: ',' */
    bool optional;      /* a missing file is skipped instead of an error */
    bool end_at_short_row; /* the data ends at the first record shorter than the header
                              (report exports followed by totals and a copyright footer) */
    at_map_feed *feeds;
    size_t feed_count;
} at_map_file;

typedef struct at_map_inline_row {
    at_map_place place;
    at_str *texts;       /* one per entity field; empty when not given */
    at_map_place *places; /* where each given value is */
} at_map_inline_row;

typedef struct at_map_inline {
    const at_entity *entity;
    at_map_place place;
    at_map_inline_row *rows;
    size_t row_count;
} at_map_inline;

typedef struct at_mapping {
    const char *path;    /* as given, for messages */
    const char *name;    /* the base name of path ("maven-crm.yaml") */
    const char *description;
    at_map_file *files;
    size_t file_count;
    at_map_inline *rows; /* in the order written */
    size_t row_group_count;
    at_value_map *maps;
    size_t map_count;
    at_arena arena;      /* owns all of the above */
} at_mapping;

/* Loads and checks a mapping file. Errors (AT_ERR_INVALID, AT_ERR_NOT_FOUND for unknown
 * entities, fields and maps; AT_ERR_IO) have where = "FILE:line:column" and a hint. */
at_code at_mapping_load(const char *path, at_mapping **out, at_error *err);
/* The same from text in memory; name is used as the file name in messages. */
at_code at_mapping_parse(const char *text, size_t len, const char *name, at_mapping **out,
                         at_error *err);
void at_mapping_free(at_mapping *mapping);

/* The file entry for a source file name, or NULL. */
const at_map_file *at_mapping_find_file(const at_mapping *mapping, const char *file);

/* Binds a feed to the header of the file it reads: every source column it names must be in the
 * header (AT_ERR_NOT_FOUND naming the column, the mapping's place, and listing the header). */
at_code at_map_feed_bind(const at_mapping *mapping, at_map_feed *feed, const at_csv_reader *r,
                         at_error *err);

/* Applies a bound feed to the reader's current record: *keep false when its where conditions
 * drop the record; otherwise texts[i] is the canonical text of field i of the entity (empty
 * when the feed does not fill it), in the arena or in the record. The record must have at least
 * feed->max_index + 1 fields. Errors (a value missing from a map, a failed conversion) have
 * where = at_map_feed_where for the field. */
at_code at_map_feed_apply(const at_mapping *mapping, const at_map_feed *feed,
                          const at_csv_reader *r, const at_csv_record *rec, at_arena *arena,
                          at_str *texts, bool *keep, at_error *err);

/* Where field `field` of the current record's row comes from, for messages:
 *   "pipeline.csv:14:40 (column close_date -> opportunities.closed_on; maven.yaml:52:18)"
 *   "pipeline.csv:14 (opportunities.name from template '{a} {b}'; maven.yaml:50:13)"
 *   "pipeline.csv:14 (opportunities.currency = 'USD'; maven.yaml:51:17)"
 *   "pipeline.csv:14 (opportunities.lead_id: not mapped)"
 * Returns the length like snprintf. */
int at_map_feed_where(const at_mapping *mapping, const at_map_feed *feed, const at_csv_reader *r,
                      int field, char *buf, size_t size);

/* The place of an inline row's value, for messages: "maven.yaml:12:40 (rows.stages[2].position)"
 * or the row's own place when the field is not given. */
int at_map_inline_where(const at_mapping *mapping, const at_map_inline *group, size_t row,
                        int field, char *buf, size_t size);

#endif
