/* mapping_apply.c - a loaded mapping at work on a source file: binding each feed's column names
 * to the file's header, and turning one record into the canonical text of every field of the
 * fed entity (source value -> value map -> conversions -> default), with where conditions. */
#include <stdio.h>
#include <string.h>

#include "import/mapping.h"
#include "import/quote.h"

/* ---- binding ------------------------------------------------------------------------------ */

static at_code bind_name(const at_mapping *m, const at_csv_reader *r, at_str name,
                         at_map_place place, const char *what, size_t *index, at_error *err)
{
    char cname[512];
    at_str_copy(name, cname, sizeof cname);
    at_error lookup;
    at_code code = at_csv_column(r, cname, index, &lookup);
    if (code == AT_OK)
        return AT_OK;
    char where[AT_ERROR_WHERE_MAX];
    snprintf(where, sizeof where, "%s:%u:%u", m->name, place.line, place.column);
    char q[AT_QUOTE_MAX];
    return at_fail(err, code, where, lookup.hint,
                   "%s: %s has no column '%s'", what, at_csv_name(r), at_import_quote(name, q));
}

at_code at_map_feed_bind(const at_mapping *mapping, at_map_feed *feed, const at_csv_reader *r,
                         at_error *err)
{
    at_code code;
    feed->max_index = 0;
    char what[128];
    for (size_t i = 0; i < feed->column_count; i++) {
        at_map_column *col = &feed->columns[i];
        snprintf(what, sizeof what, "%s.%s", feed->entity->name,
                 feed->entity->fields[col->field].name);
        if (col->source == AT_MAP_FROM) {
            if ((code = bind_name(mapping, r, col->from, col->place, what, &col->from_index,
                                  err)) != AT_OK)
                return code;
            if (col->from_index > feed->max_index)
                feed->max_index = col->from_index;
        }
        for (size_t w = 0; w < col->where_count; w++) {
            at_map_condition *cond = &col->where[w];
            if ((code = bind_name(mapping, r, cond->column, cond->place, what, &cond->index,
                                  err)) != AT_OK)
                return code;
            if (cond->index > feed->max_index)
                feed->max_index = cond->index;
        }
        if (col->source == AT_MAP_TEMPLATE) {
            for (size_t p = 0; p < col->part_count; p++) {
                at_map_template_part *part = &col->parts[p];
                if (!part->is_column)
                    continue;
                if ((code = bind_name(mapping, r, part->text, col->place, what, &part->index,
                                      err)) != AT_OK)
                    return code;
                if (part->index > feed->max_index)
                    feed->max_index = part->index;
            }
        }
    }
    for (size_t i = 0; i < feed->where_count; i++) {
        at_map_condition *cond = &feed->where[i];
        snprintf(what, sizeof what, "where (feed of %s)", feed->entity->name);
        if ((code = bind_name(mapping, r, cond->column, cond->place, what, &cond->index, err)) !=
            AT_OK)
            return code;
        if (cond->index > feed->max_index)
            feed->max_index = cond->index;
    }
    return AT_OK;
}

/* ---- places for messages ------------------------------------------------------------------ */

int at_map_feed_where(const at_mapping *mapping, const at_map_feed *feed, const at_csv_reader *r,
                      int field, char *buf, size_t size)
{
    uint64_t line = 0, column = 0;
    at_csv_field_place(r, (size_t)-1, &line, &column);
    const char *entity = feed->entity->name;
    const char *fname = feed->entity->fields[field].name;
    int ci = feed->by_field[field];
    if (feed->canonical || ci < 0) {
        if (feed->canonical)
            return at_csv_where(r, (size_t)-1, buf, size);
        return snprintf(buf, size, "%s:%llu (%s.%s: not mapped)", at_csv_name(r),
                        (unsigned long long)line, entity, fname);
    }
    const at_map_column *col = &feed->columns[ci];
    char q[AT_QUOTE_MAX];
    switch (col->source) {
    case AT_MAP_FROM: {
        uint64_t fline, fcol;
        at_csv_field_place(r, col->from_index, &fline, &fcol);
        return snprintf(buf, size, "%s:%llu:%llu (column %.*s -> %s.%s; %s:%u:%u)",
                        at_csv_name(r), (unsigned long long)fline, (unsigned long long)fcol,
                        (int)col->from.len, col->from.ptr, entity, fname, mapping->name,
                        col->place.line, col->place.column);
    }
    case AT_MAP_TEMPLATE:
        return snprintf(buf, size, "%s:%llu (%s.%s from template '%s'; %s:%u:%u)",
                        at_csv_name(r), (unsigned long long)line, entity, fname,
                        at_import_quote(col->template_text, q), mapping->name, col->place.line,
                        col->place.column);
    case AT_MAP_VALUE:
        break;
    }
    return snprintf(buf, size, "%s:%llu (%s.%s = '%s'; %s:%u:%u)", at_csv_name(r),
                    (unsigned long long)line, entity, fname, at_import_quote(col->value, q),
                    mapping->name, col->place.line, col->place.column);
}

int at_map_inline_where(const at_mapping *mapping, const at_map_inline *group, size_t row,
                        int field, char *buf, size_t size)
{
    at_map_place p = group->rows[row].place;
    if (field >= 0 && group->rows[row].texts[field].len > 0)
        p = group->rows[row].places[field];
    if (field < 0)
        return snprintf(buf, size, "%s:%u:%u (rows.%s[%zu])", mapping->name, p.line, p.column,
                        group->entity->name, row + 1);
    return snprintf(buf, size, "%s:%u:%u (rows.%s[%zu].%s)", mapping->name, p.line, p.column,
                    group->entity->name, row + 1, group->entity->fields[field].name);
}

/* ---- applying ----------------------------------------------------------------------------- */

static bool map_lookup(const at_value_map *map, at_str key, at_str *out)
{
    size_t lo = 0, hi = map->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        at_str f = map->from[mid];
        size_t n = f.len < key.len ? f.len : key.len;
        int c = n ? memcmp(f.ptr, key.ptr, n) : 0;
        if (c == 0)
            c = f.len < key.len ? -1 : f.len > key.len ? 1 : 0;
        if (c == 0) {
            *out = map->to[mid];
            return true;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static at_str field_of(const at_csv_record *rec, size_t index)
{
    return index < rec->count ? rec->fields[index] : at_str_make("", 0);
}

static bool condition_holds(const at_map_condition *cond, const at_csv_record *rec)
{
    at_str v = field_of(rec, cond->index);
    switch (cond->test) {
    case AT_WHERE_EMPTY: return v.len == 0;
    case AT_WHERE_NOT_EMPTY: return v.len > 0;
    case AT_WHERE_IN:
    case AT_WHERE_NOT_IN: {
        bool found = false;
        for (size_t i = 0; i < cond->value_count && !found; i++)
            found = at_str_eq(v, cond->values[i]);
        return cond->test == AT_WHERE_IN ? found : !found;
    }
    }
    return false;
}

static at_code column_text(const at_mapping *m, const at_map_feed *feed, const at_map_column *col,
                           const at_csv_reader *r, const at_csv_record *rec, at_arena *arena,
                           at_str *out, at_error *err)
{
    at_str v = at_str_make("", 0);
    for (size_t w = 0; w < col->where_count; w++)
        if (!condition_holds(&col->where[w], rec)) {
            *out = col->has_default ? col->default_value : v;
            return AT_OK;
        }
    switch (col->source) {
    case AT_MAP_FROM: v = field_of(rec, col->from_index); break;
    case AT_MAP_VALUE: v = col->value; break;
    case AT_MAP_TEMPLATE: {
        size_t len = 0;
        for (size_t p = 0; p < col->part_count; p++)
            len += col->parts[p].is_column ? field_of(rec, col->parts[p].index).len
                                           : col->parts[p].text.len;
        char *buf = at_arena_alloc(arena, len + 1);
        if (!buf)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        size_t o = 0;
        for (size_t p = 0; p < col->part_count; p++) {
            at_str s = col->parts[p].is_column ? field_of(rec, col->parts[p].index)
                                               : col->parts[p].text;
            if (s.len)
                memcpy(buf + o, s.ptr, s.len);
            o += s.len;
        }
        buf[o] = '\0';
        v = at_str_make(buf, o);
        break;
    }
    }
    if (col->map) {
        at_str mapped;
        if (map_lookup(col->map, v, &mapped)) {
            v = mapped;
        } else if (v.len > 0) {
            if (col->unmapped == AT_UNMAPPED_EMPTY) {
                v = at_str_make("", 0);
            } else if (col->unmapped == AT_UNMAPPED_ERROR) {
                char where[AT_ERROR_WHERE_MAX], q[AT_QUOTE_MAX], hint[AT_ERROR_HINT_MAX];
                at_map_feed_where(m, feed, r, col->field, where, sizeof where);
                if (col->map->name[0])
                    snprintf(hint, sizeof hint,
                             "add it to the map '%s' (%s:%u), or add unmapped: keep (or empty) "
                             "to the column",
                             col->map->name, m->name, col->map->place.line);
                else
                    snprintf(hint, sizeof hint,
                             "add it to the column's map (%s:%u), or add unmapped: keep (or "
                             "empty) to the column",
                             m->name, col->map->place.line);
                return at_fail(err, AT_ERR_INVALID, where, hint,
                               "'%s' is not in the value map%s%s", at_import_quote(v, q),
                               col->map->name[0] ? " " : "", col->map->name);
            }
        }
    }
    for (size_t i = 0; i < col->convert_count; i++) {
        at_code code = at_convert_apply(&col->converts[i], v, arena, &v, err);
        if (code != AT_OK) {
            if (err)
                at_map_feed_where(m, feed, r, col->field, err->where, sizeof err->where);
            return code;
        }
    }
    if (v.len == 0 && col->has_default)
        v = col->default_value;
    *out = v;
    return AT_OK;
}

at_code at_map_feed_apply(const at_mapping *mapping, const at_map_feed *feed,
                          const at_csv_reader *r, const at_csv_record *rec, at_arena *arena,
                          at_str *texts, bool *keep, at_error *err)
{
    *keep = false;
    for (size_t i = 0; i < feed->where_count; i++)
        if (!condition_holds(&feed->where[i], rec))
            return AT_OK;
    *keep = true;
    const at_entity *e = feed->entity;
    for (size_t f = 0; f < e->field_count; f++)
        texts[f] = at_str_make("", 0);
    for (size_t i = 0; i < feed->column_count; i++) {
        const at_map_column *col = &feed->columns[i];
        at_code code = column_text(mapping, feed, col, r, rec, arena, &texts[col->field], err);
        if (code != AT_OK)
            return code;
    }
    return AT_OK;
}
