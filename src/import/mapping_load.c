/* mapping_load.c - reading a mapping file (YAML, through libyaml's document API) into an
 * at_mapping, checking everything that can be checked before a source file is opened: known
 * keys, entities, fields, maps, templates, conversions, conditions, and that every required
 * column of a fed entity is filled. Errors point at mapping-file line:column. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "import/mapping.h"
#include "import/quote.h"

typedef struct loader {
    yaml_document_t doc;
    at_mapping *m;
    at_error *err;
} loader;

/* ---- small helpers ------------------------------------------------------------------------ */

static at_map_place place_of(const yaml_node_t *n)
{
    return (at_map_place){(unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1};
}

static at_code vfail_at(loader *L, at_map_place p, at_code code, const char *hint,
                        const char *fmt, va_list ap)
{
    char where[AT_ERROR_WHERE_MAX];
    snprintf(where, sizeof where, "%s:%u:%u", L->m->name, p.line, p.column);
    return at_vfail(L->err, code, where, hint, fmt, ap);
}

static at_code fail_at(loader *L, const yaml_node_t *n, at_code code, const char *hint,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static at_code fail_at(loader *L, const yaml_node_t *n, at_code code, const char *hint,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_code c = vfail_at(L, place_of(n), code, hint, fmt, ap);
    va_end(ap);
    return c;
}

static at_code nomem(loader *L)
{
    return at_fail(L->err, AT_ERR_NOMEM, L->m->name, NULL, "out of memory reading the mapping");
}

static yaml_node_t *node_at(loader *L, int id)
{
    return yaml_document_get_node(&L->doc, id);
}

static bool is_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE;
}
static bool is_map(const yaml_node_t *n)
{
    return n && n->type == YAML_MAPPING_NODE;
}
static bool is_seq(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE;
}

static at_str scalar_text(const yaml_node_t *n)
{
    return at_str_make((const char *)n->data.scalar.value, n->data.scalar.length);
}

/* A plain ~, null or nothing: YAML's null, read as empty text. */
static bool is_null(const yaml_node_t *n)
{
    if (!is_scalar(n) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    at_str s = scalar_text(n);
    return s.len == 0 || at_str_eq_cstr(s, "~") || at_str_eq_cstr(s, "null") ||
           at_str_eq_cstr(s, "Null") || at_str_eq_cstr(s, "NULL");
}

/* The scalar's text copied into the mapping's arena (NUL-terminated); null reads as "". */
static at_code scalar_copy(loader *L, const yaml_node_t *n, at_str *out)
{
    at_str s = is_null(n) ? at_str_make("", 0) : scalar_text(n);
    char *p = at_str_dup(&L->m->arena, s);
    if (!p)
        return nomem(L);
    *out = at_str_make(p, s.len);
    return AT_OK;
}

static const char *node_kind(const yaml_node_t *n)
{
    return is_scalar(n) ? "a single value" : is_seq(n) ? "a list" : "a mapping (key: value)";
}

static at_code want(loader *L, const yaml_node_t *n, yaml_node_type_t type, const char *what,
                    const char *hint)
{
    if (n->type == type)
        return AT_OK;
    const char *expected = type == YAML_SCALAR_NODE     ? "a single value"
                           : type == YAML_SEQUENCE_NODE ? "a list"
                                                        : "a mapping (key: value)";
    return fail_at(L, n, AT_ERR_INVALID, hint, "%s must be %s, not %s", what, expected,
                   node_kind(n));
}

/* Checks a mapping's keys: scalars, each allowed, none twice. */
static at_code check_keys(loader *L, const yaml_node_t *map, const char *const *allowed,
                          const char *what)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(L, p->key);
        if (!is_scalar(k))
            return fail_at(L, k, AT_ERR_INVALID, "write keys as plain names",
                           "a key in %s must be a single value", what);
        at_str ks = scalar_text(k);
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *k2 = node_at(L, q->key);
            if (is_scalar(k2) && at_str_eq(scalar_text(k2), ks)) {
                char q1[AT_QUOTE_MAX];
                return fail_at(L, k, AT_ERR_INVALID, "give each key once",
                               "'%s' is given twice in %s (first at line %u)",
                               at_import_quote(ks, q1), what, place_of(k2).line);
            }
        }
        if (!allowed)
            continue;
        bool ok = false;
        for (size_t i = 0; allowed[i]; i++)
            if (at_str_eq_cstr(ks, allowed[i]))
                ok = true;
        if (!ok) {
            char list[AT_ERROR_HINT_MAX];
            size_t o = (size_t)snprintf(list, sizeof list, "use one of:");
            for (size_t i = 0; allowed[i] && o < sizeof list; i++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s %s", i ? "," : "",
                                      allowed[i]);
            char q1[AT_QUOTE_MAX];
            return fail_at(L, k, AT_ERR_INVALID, list, "unknown key '%s' in %s",
                           at_import_quote(ks, q1), what);
        }
    }
    return AT_OK;
}

static yaml_node_t *get(loader *L, const yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(L, p->key);
        if (is_scalar(k) && at_str_eq_cstr(scalar_text(k), key))
            return node_at(L, p->value);
    }
    return NULL;
}

static size_t pair_count(const yaml_node_t *map)
{
    return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

static size_t item_count(const yaml_node_t *seq)
{
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static at_code read_bool(loader *L, const yaml_node_t *n, const char *what, bool *out)
{
    at_code c = want(L, n, YAML_SCALAR_NODE, what, "write true or false");
    if (c != AT_OK)
        return c;
    at_str s = scalar_text(n);
    if (at_str_eq_cstr(s, "true") || at_str_eq_cstr(s, "yes")) {
        *out = true;
        return AT_OK;
    }
    if (at_str_eq_cstr(s, "false") || at_str_eq_cstr(s, "no")) {
        *out = false;
        return AT_OK;
    }
    char q[AT_QUOTE_MAX];
    return fail_at(L, n, AT_ERR_INVALID, "write true or false", "%s must be true or false, not '%s'",
                   what, at_import_quote(s, q));
}

/* A single-byte separator: "," ";" "\t" "|" ... ("" or none: no separator, when none_ok). */
static at_code read_char(loader *L, const yaml_node_t *n, const char *what, bool none_ok,
                         char *out)
{
    at_code c = want(L, n, YAML_SCALAR_NODE, what, "write one character in quotes, e.g. \";\"");
    if (c != AT_OK)
        return c;
    at_str s = is_null(n) ? at_str_make("", 0) : scalar_text(n);
    if (none_ok && (s.len == 0 || at_str_eq_cstr(s, "none"))) {
        *out = 0;
        return AT_OK;
    }
    if (at_str_eq_cstr(s, "\\t") || at_str_eq_cstr(s, "tab")) {
        *out = '\t';
        return AT_OK;
    }
    if (s.len == 1 && (unsigned char)s.ptr[0] < 0x80 && s.ptr[0] != '"' && s.ptr[0] != '\r' &&
        s.ptr[0] != '\n' && s.ptr[0] != '\0') {
        *out = s.ptr[0];
        return AT_OK;
    }
    char q[AT_QUOTE_MAX];
    return fail_at(L, n, AT_ERR_INVALID,
                   none_ok ? "write one ASCII character in quotes (\",\", \".\", \" \"), or none"
                           : "write one ASCII character in quotes (\",\", \";\", \"|\", tab)",
                   "%s must be one character, not '%s'", what, at_import_quote(s, q));
}

/* ---- value maps --------------------------------------------------------------------------- */

static int compare_str(at_str a, at_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c != 0)
        return c;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

typedef struct map_pair {
    at_str from, to;
} map_pair;

static int compare_pair(const void *a, const void *b)
{
    return compare_str(((const map_pair *)a)->from, ((const map_pair *)b)->from);
}

static at_code read_value_map(loader *L, const yaml_node_t *n, const char *name,
                              at_value_map *out)
{
    at_code c = want(L, n, YAML_MAPPING_NODE, "a value map",
                     "write each source value and what it becomes: \"Closed Won\": won");
    if (c != AT_OK)
        return c;
    if ((c = check_keys(L, n, NULL, "the value map")) != AT_OK)
        return c;
    size_t count = pair_count(n);
    map_pair *pairs = at_arena_calloc(&L->m->arena, count ? count : 1, sizeof *pairs);
    out->from = at_arena_calloc(&L->m->arena, count ? count : 1, sizeof *out->from);
    out->to = at_arena_calloc(&L->m->arena, count ? count : 1, sizeof *out->to);
    out->name = at_arena_strdup(&L->m->arena, name);
    if (!pairs || !out->from || !out->to || !out->name)
        return nomem(L);
    out->place = place_of(n);
    out->count = count;
    size_t i = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
         p++, i++) {
        yaml_node_t *v = node_at(L, p->value);
        if ((c = want(L, v, YAML_SCALAR_NODE, "a value map's value",
                      "write what the source value becomes as one value")) != AT_OK)
            return c;
        /* a key written `~` or left empty is the empty source value */
        if ((c = scalar_copy(L, node_at(L, p->key), &pairs[i].from)) != AT_OK ||
            (c = scalar_copy(L, v, &pairs[i].to)) != AT_OK)
            return c;
    }
    qsort(pairs, count, sizeof *pairs, compare_pair);
    for (i = 0; i < count; i++) {
        if (i > 0 && compare_str(pairs[i - 1].from, pairs[i].from) == 0) {
            char q[AT_QUOTE_MAX];
            return fail_at(L, n, AT_ERR_INVALID, "give each source value once",
                           "the value map has '%s' twice (YAML null, ~ and an empty key are all "
                           "the empty value)",
                           at_import_quote(pairs[i].from, q));
        }
        out->from[i] = pairs[i].from;
        out->to[i] = pairs[i].to;
    }
    return AT_OK;
}

static at_code read_maps(loader *L, const yaml_node_t *n)
{
    at_code c = want(L, n, YAML_MAPPING_NODE, "maps",
                     "write maps: then one named map per line: stage: {\"Closed Won\": won}");
    if (c != AT_OK || (c = check_keys(L, n, NULL, "maps")) != AT_OK)
        return c;
    L->m->map_count = pair_count(n);
    L->m->maps = at_arena_calloc(&L->m->arena, L->m->map_count + 1, sizeof *L->m->maps);
    if (!L->m->maps)
        return nomem(L);
    size_t i = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
         p++, i++) {
        at_str name;
        if ((c = scalar_copy(L, node_at(L, p->key), &name)) != AT_OK ||
            (c = read_value_map(L, node_at(L, p->value), name.ptr, &L->m->maps[i])) != AT_OK)
            return c;
        L->m->maps[i].place = place_of(node_at(L, p->key)); /* messages point at the name */
    }
    return AT_OK;
}

static const at_value_map *find_map(const at_mapping *m, at_str name)
{
    for (size_t i = 0; i < m->map_count; i++)
        if (at_str_eq_cstr(name, m->maps[i].name))
            return &m->maps[i];
    return NULL;
}

/* ---- conversions -------------------------------------------------------------------------- */

static const char *const convert_kinds[] = {"trim",  "lower",   "upper",   "date", "time",
                                            "number", "money", "percent", "scale", NULL};

static at_code read_number_options(loader *L, const yaml_node_t *n, at_convert *cv)
{
    if (is_null(n))
        return AT_OK;
    static const char *const money_keys[] = {"thousands", "decimal", "currency", NULL};
    static const char *const number_keys[] = {"thousands", "decimal", NULL};
    bool money = cv->kind == AT_CONVERT_MONEY;
    at_code c = want(L, n, YAML_MAPPING_NODE, money ? "money's options" : "number's options",
                     "write {thousands: \".\", decimal: \",\"}, or nothing for 1,234.50");
    if (c != AT_OK || (c = check_keys(L, n, money ? money_keys : number_keys,
                                      money ? "money's options" : "number's options")) != AT_OK)
        return c;
    yaml_node_t *v;
    if ((v = get(L, n, "thousands")) && (c = read_char(L, v, "thousands", true,
                                                        &cv->thousands)) != AT_OK)
        return c;
    if ((v = get(L, n, "decimal"))) {
        if ((c = read_char(L, v, "decimal", false, &cv->decimal)) != AT_OK)
            return c;
        if (cv->decimal != '.' && cv->decimal != ',')
            return fail_at(L, v, AT_ERR_INVALID, "write decimal: \".\" or decimal: \",\"",
                           "the decimal mark must be '.' or ','");
    }
    if (cv->thousands == cv->decimal)
        return fail_at(L, n, AT_ERR_INVALID,
                       "with decimal: \",\" set thousands to \".\", \" \" or none",
                       "the thousands separator and the decimal mark are both '%c'",
                       cv->decimal);
    if ((v = get(L, n, "currency"))) {
        if ((c = want(L, v, YAML_SCALAR_NODE, "currency", "write an ISO 4217 code: USD")) != AT_OK)
            return c;
        at_str s = scalar_text(v);
        if (s.len != 3 || !(s.ptr[0] >= 'A' && s.ptr[0] <= 'Z') ||
            !(s.ptr[1] >= 'A' && s.ptr[1] <= 'Z') || !(s.ptr[2] >= 'A' && s.ptr[2] <= 'Z'))
            return fail_at(L, v, AT_ERR_INVALID, "write an ISO 4217 code in capitals: USD",
                           "currency must be a 3-letter code");
        memcpy(cv->currency, s.ptr, 3);
    }
    return AT_OK;
}

static at_code read_convert_step(loader *L, const yaml_node_t *n, at_convert *cv)
{
    at_code c;
    static const char *hint =
        "write a conversion: trim, lower, upper, number, money, percent, {date: M/D/YYYY}, "
        "{time: \"M/D/YYYY h:mm a\", offset: \"-05:00\"}, {scale: 1000000}";
    if (is_scalar(n)) {
        at_convert_kind kind;
        if (at_convert_kind_parse(scalar_text(n), &kind, NULL) != AT_OK) {
            char q[AT_QUOTE_MAX];
            return fail_at(L, n, AT_ERR_INVALID, hint, "unknown conversion '%s'",
                           at_import_quote(scalar_text(n), q));
        }
        if (kind == AT_CONVERT_DATE || kind == AT_CONVERT_TIME || kind == AT_CONVERT_SCALE)
            return fail_at(L, n, AT_ERR_INVALID, hint, "%s needs %s: {%s: %s}",
                           at_convert_kind_name(kind),
                           kind == AT_CONVERT_SCALE ? "a factor" : "a pattern",
                           at_convert_kind_name(kind),
                           kind == AT_CONVERT_SCALE ? "1000000" : "M/D/YYYY");
        at_convert_init(cv, kind);
        return AT_OK;
    }
    if (!is_map(n))
        return fail_at(L, n, AT_ERR_INVALID, hint, "a conversion must be a name or a mapping");
    static const char *const keys[] = {"trim",   "lower", "upper",   "date",  "time",  "number",
                                       "money",  "percent", "scale", "offset", NULL};
    if ((c = check_keys(L, n, keys, "a conversion")) != AT_OK)
        return c;
    const yaml_node_t *kind_node = NULL;
    yaml_node_t *arg = NULL;
    for (size_t i = 0; convert_kinds[i]; i++) {
        yaml_node_t *v = get(L, n, convert_kinds[i]);
        if (!v)
            continue;
        if (kind_node)
            return fail_at(L, n, AT_ERR_INVALID,
                           "write several conversions as a list: [money, {scale: 1000}]",
                           "one conversion per step: this one names two");
        at_convert_kind_parse(at_str_from(convert_kinds[i]), &cv->kind, NULL);
        kind_node = n;
        arg = v;
    }
    if (!kind_node)
        return fail_at(L, n, AT_ERR_INVALID, hint, "the conversion names no kind");
    at_convert_kind kind = cv->kind;
    at_convert_init(cv, kind);
    yaml_node_t *offset = get(L, n, "offset");
    if (offset && kind != AT_CONVERT_TIME)
        return fail_at(L, offset, AT_ERR_INVALID, "offset goes with time: {time: ..., offset: ...}",
                       "offset is only for time conversions");
    switch (kind) {
    case AT_CONVERT_DATE:
    case AT_CONVERT_TIME: {
        if ((c = want(L, arg, YAML_SCALAR_NODE, "a date pattern", hint)) != AT_OK)
            return c;
        char pattern[128];
        at_str_copy(scalar_text(arg), pattern, sizeof pattern);
        at_error perr;
        if (at_date_pattern_compile(pattern, &cv->date, &perr) != AT_OK)
            return fail_at(L, arg, perr.code, perr.hint, "%s", perr.message);
        if (offset) {
            if ((c = want(L, offset, YAML_SCALAR_NODE, "offset", "write \"-05:00\"")) != AT_OK)
                return c;
            if (at_convert_parse_offset(scalar_text(offset), &cv->offset_minutes, NULL) != AT_OK) {
                char q[AT_QUOTE_MAX];
                return fail_at(L, offset, AT_ERR_INVALID,
                               "write the source's offset from UTC as \"+hh:mm\" or \"-hh:mm\", "
                               "or Z",
                               "bad UTC offset '%s'", at_import_quote(scalar_text(offset), q));
            }
        }
        return AT_OK;
    }
    case AT_CONVERT_SCALE:
        if ((c = want(L, arg, YAML_SCALAR_NODE, "a scale factor", hint)) != AT_OK)
            return c;
        if (at_convert_parse_factor(scalar_text(arg), cv, NULL) != AT_OK) {
            char q[AT_QUOTE_MAX];
            return fail_at(L, arg, AT_ERR_INVALID,
                           "write the factor as a plain decimal that is not 0: 1000000, 0.01",
                           "bad scale factor '%s'", at_import_quote(scalar_text(arg), q));
        }
        return AT_OK;
    case AT_CONVERT_NUMBER:
    case AT_CONVERT_MONEY: return read_number_options(L, arg, cv);
    default:
        if (!is_null(arg) && !(is_scalar(arg) && at_str_eq_cstr(scalar_text(arg), "true")))
            return fail_at(L, arg, AT_ERR_INVALID, hint, "%s takes no options",
                           at_convert_kind_name(kind));
        return AT_OK;
    }
}

static at_code read_converts(loader *L, const yaml_node_t *n, at_map_column *col)
{
    size_t count = is_seq(n) ? item_count(n) : 1;
    col->converts = at_arena_calloc(&L->m->arena, count, sizeof *col->converts);
    if (!col->converts)
        return nomem(L);
    col->convert_count = count;
    if (!is_seq(n))
        return read_convert_step(L, n, &col->converts[0]);
    if (count == 0)
        return fail_at(L, n, AT_ERR_INVALID, "leave convert out, or name a conversion",
                       "convert is an empty list");
    for (size_t i = 0; i < count; i++) {
        at_code c = read_convert_step(L, node_at(L, n->data.sequence.items.start[i]),
                                      &col->converts[i]);
        if (c != AT_OK)
            return c;
    }
    return AT_OK;
}

/* ---- templates ---------------------------------------------------------------------------- */

static at_code read_template(loader *L, const yaml_node_t *n, at_map_column *col)
{
    static const char *hint = "write column names in braces: \"{First Name} {Last Name}\"; "
                              "{{ and }} stand for a brace";
    at_str t = scalar_text(n);
    /* at most one part per byte, plus one */
    at_map_template_part *parts = at_arena_calloc(&L->m->arena, t.len + 1, sizeof *parts);
    char *lit = at_arena_alloc(&L->m->arena, t.len + 1);
    if (!parts || !lit)
        return nomem(L);
    size_t count = 0, columns = 0, lit_len = 0;
    for (size_t i = 0; i < t.len; i++) {
        char ch = t.ptr[i];
        if ((ch == '{' || ch == '}') && i + 1 < t.len && t.ptr[i + 1] == ch) {
            lit[lit_len++] = ch;
            i++;
            continue;
        }
        if (ch == '}')
            return fail_at(L, n, AT_ERR_INVALID, hint,
                           "template: a '}' at character %zu closes nothing", i + 1);
        if (ch != '{') {
            lit[lit_len++] = ch;
            continue;
        }
        size_t end = i + 1;
        while (end < t.len && t.ptr[end] != '}' && t.ptr[end] != '{')
            end++;
        if (end >= t.len || t.ptr[end] != '}')
            return fail_at(L, n, AT_ERR_INVALID, hint,
                           "template: the '{' at character %zu is not closed", i + 1);
        if (end == i + 1)
            return fail_at(L, n, AT_ERR_INVALID, hint,
                           "template: '{}' at character %zu names no column", i + 1);
        if (lit_len) {
            parts[count++] = (at_map_template_part){false, at_str_make(lit, lit_len), 0};
            lit += lit_len;
            lit_len = 0;
        }
        char *name = at_arena_strndup(&L->m->arena, t.ptr + i + 1, end - i - 1);
        if (!name)
            return nomem(L);
        parts[count++] = (at_map_template_part){true, at_str_make(name, end - i - 1), 0};
        columns++;
        i = end;
    }
    if (lit_len)
        parts[count++] = (at_map_template_part){false, at_str_make(lit, lit_len), 0};
    if (columns == 0)
        return fail_at(L, n, AT_ERR_INVALID, "for a constant write value: instead of template:",
                       "the template names no {column}");
    col->parts = parts;
    col->part_count = count;
    char *copy = at_str_dup(&L->m->arena, t);
    if (!copy)
        return nomem(L);
    col->template_text = at_str_make(copy, t.len);
    return AT_OK;
}

/* ---- columns, conditions, feeds ----------------------------------------------------------- */

static void field_list(const at_entity *e, char *buf, size_t size)
{
    size_t o = (size_t)snprintf(buf, size, "%s has:", e->file);
    for (size_t i = 0; i < e->field_count && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s %s", i ? "," : "", e->fields[i].name);
}

static at_code find_field(loader *L, const at_entity *e, const yaml_node_t *key, int *field)
{
    *field = at_entity_field_index(e, scalar_text(key));
    if (*field >= 0)
        return AT_OK;
    char list[AT_ERROR_HINT_MAX], q[AT_QUOTE_MAX];
    field_list(e, list, sizeof list);
    return fail_at(L, key, AT_ERR_NOT_FOUND, list, "%s has no column '%s'", e->name,
                   at_import_quote(scalar_text(key), q));
}

static at_code read_conditions(loader *L, const yaml_node_t *n, at_map_condition **out,
                               size_t *count);

static at_code read_column(loader *L, const yaml_node_t *key, const yaml_node_t *n,
                           const at_entity *e, at_map_column *col)
{
    at_code c;
    if ((c = find_field(L, e, key, &col->field)) != AT_OK)
        return c;
    col->place = place_of(n);
    static const char *hint =
        "write a source column's name, or {from: COLUMN}, {template: \"{A} {B}\"} or "
        "{value: CONSTANT}, with optional map, unmapped, convert and default";
    if (is_scalar(n)) {
        if (is_null(n))
            return fail_at(L, n, AT_ERR_INVALID, hint,
                           "column %s names no source column (leave the line out to leave it "
                           "empty)",
                           e->fields[col->field].name);
        col->source = AT_MAP_FROM;
        return scalar_copy(L, n, &col->from);
    }
    if (!is_map(n))
        return fail_at(L, n, AT_ERR_INVALID, hint, "column %s must be a name or a mapping",
                       e->fields[col->field].name);
    static const char *const keys[] = {"from", "template", "value", "map", "unmapped",
                                       "convert", "default", "where", NULL};
    if ((c = check_keys(L, n, keys, "a column")) != AT_OK)
        return c;
    yaml_node_t *from = get(L, n, "from"), *tmpl = get(L, n, "template"),
                *value = get(L, n, "value");
    int given = (from != NULL) + (tmpl != NULL) + (value != NULL);
    if (given != 1)
        return fail_at(L, n, AT_ERR_INVALID, hint,
                       "column %s must have exactly one of from, template and value (it has %d)",
                       e->fields[col->field].name, given);
    if (from) {
        if ((c = want(L, from, YAML_SCALAR_NODE, "from", hint)) != AT_OK)
            return c;
        if (is_null(from))
            return fail_at(L, from, AT_ERR_INVALID, hint, "from names no source column");
        col->source = AT_MAP_FROM;
        if ((c = scalar_copy(L, from, &col->from)) != AT_OK)
            return c;
    } else if (tmpl) {
        if ((c = want(L, tmpl, YAML_SCALAR_NODE, "template", hint)) != AT_OK)
            return c;
        col->source = AT_MAP_TEMPLATE;
        if ((c = read_template(L, tmpl, col)) != AT_OK)
            return c;
    } else {
        if ((c = want(L, value, YAML_SCALAR_NODE, "value", hint)) != AT_OK)
            return c;
        col->source = AT_MAP_VALUE;
        if ((c = scalar_copy(L, value, &col->value)) != AT_OK)
            return c;
    }
    yaml_node_t *v;
    if ((v = get(L, n, "map"))) {
        if (is_scalar(v)) {
            col->map = find_map(L->m, scalar_text(v));
            if (!col->map) {
                char q[AT_QUOTE_MAX];
                return fail_at(L, v, AT_ERR_NOT_FOUND,
                               "name a map written under maps: at the top, or write the map "
                               "here: map: {Won: won, Lost: lost}",
                               "there is no map '%s'", at_import_quote(scalar_text(v), q));
            }
        } else {
            at_value_map *vm = at_arena_calloc(&L->m->arena, 1, sizeof *vm);
            if (!vm)
                return nomem(L);
            if ((c = read_value_map(L, v, "", vm)) != AT_OK)
                return c;
            col->map = vm;
        }
    }
    if ((v = get(L, n, "unmapped"))) {
        if (!col->map)
            return fail_at(L, v, AT_ERR_INVALID, "give a map:, or leave unmapped out",
                           "unmapped without a map");
        if ((c = want(L, v, YAML_SCALAR_NODE, "unmapped", "write error, keep or empty")) != AT_OK)
            return c;
        at_str s = scalar_text(v);
        if (at_str_eq_cstr(s, "error"))
            col->unmapped = AT_UNMAPPED_ERROR;
        else if (at_str_eq_cstr(s, "keep"))
            col->unmapped = AT_UNMAPPED_KEEP;
        else if (at_str_eq_cstr(s, "empty"))
            col->unmapped = AT_UNMAPPED_EMPTY;
        else {
            char q[AT_QUOTE_MAX];
            return fail_at(L, v, AT_ERR_INVALID, "write error, keep or empty",
                           "unmapped must be error, keep or empty, not '%s'",
                           at_import_quote(s, q));
        }
    }
    if ((v = get(L, n, "convert")) && (c = read_converts(L, v, col)) != AT_OK)
        return c;
    if ((v = get(L, n, "where")) &&
        (c = read_conditions(L, v, &col->where, &col->where_count)) != AT_OK)
        return c;
    if ((v = get(L, n, "default"))) {
        if ((c = want(L, v, YAML_SCALAR_NODE, "default", "write the text an empty value "
                                                          "stands for")) != AT_OK)
            return c;
        col->has_default = true;
        if ((c = scalar_copy(L, v, &col->default_value)) != AT_OK)
            return c;
    }
    return AT_OK;
}

static at_code read_values(loader *L, const yaml_node_t *n, at_map_condition *cond)
{
    size_t count = is_seq(n) ? item_count(n) : 1;
    cond->values = at_arena_calloc(&L->m->arena, count ? count : 1, sizeof *cond->values);
    if (!cond->values)
        return nomem(L);
    cond->value_count = count;
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *v = is_seq(n) ? node_at(L, n->data.sequence.items.start[i]) : (yaml_node_t *)n;
        at_code c = want(L, v, YAML_SCALAR_NODE, "a value in a condition",
                         "write the values to compare with: Won, or [Won, Lost]");
        if (c != AT_OK || (c = scalar_copy(L, v, &cond->values[i])) != AT_OK)
            return c;
    }
    if (count == 0)
        return fail_at(L, n, AT_ERR_INVALID, "list at least one value", "the list is empty");
    return AT_OK;
}

static at_code read_conditions(loader *L, const yaml_node_t *n, at_map_condition **out,
                               size_t *count)
{
    static const char *hint =
        "write where: then one condition per source column: deal_stage: Won, or "
        "stage: [Won, Lost], or stage: {not: Lost}, {not_in: [..]}, {empty: true}";
    at_code c = want(L, n, YAML_MAPPING_NODE, "where", hint);
    if (c != AT_OK || (c = check_keys(L, n, NULL, "where")) != AT_OK)
        return c;
    *count = pair_count(n);
    *out = at_arena_calloc(&L->m->arena, *count + 1, sizeof **out);
    if (!*out)
        return nomem(L);
    size_t i = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
         p++, i++) {
        at_map_condition *cond = &(*out)[i];
        yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
        cond->place = place_of(k);
        if ((c = scalar_copy(L, k, &cond->column)) != AT_OK)
            return c;
        if (!is_map(v)) {
            cond->test = AT_WHERE_IN;
            if ((c = read_values(L, v, cond)) != AT_OK)
                return c;
            continue;
        }
        static const char *const keys[] = {"equals", "in", "not", "not_in", "empty", NULL};
        if ((c = check_keys(L, v, keys, "a condition")) != AT_OK)
            return c;
        if (pair_count(v) != 1)
            return fail_at(L, v, AT_ERR_INVALID, hint,
                           "a condition has one test (equals, in, not, not_in or empty); "
                           "write two conditions on two columns, or use in/not_in");
        yaml_node_t *tk = node_at(L, v->data.mapping.pairs.start->key);
        yaml_node_t *tv = node_at(L, v->data.mapping.pairs.start->value);
        at_str t = scalar_text(tk);
        if (at_str_eq_cstr(t, "empty")) {
            bool empty;
            if ((c = read_bool(L, tv, "empty", &empty)) != AT_OK)
                return c;
            cond->test = empty ? AT_WHERE_EMPTY : AT_WHERE_NOT_EMPTY;
            continue;
        }
        cond->test = at_str_eq_cstr(t, "not") || at_str_eq_cstr(t, "not_in") ? AT_WHERE_NOT_IN
                                                                              : AT_WHERE_IN;
        if ((at_str_eq_cstr(t, "equals") || at_str_eq_cstr(t, "not")) && !is_scalar(tv))
            return fail_at(L, tv, AT_ERR_INVALID, "for several values use in or not_in",
                           "%.*s takes one value", (int)t.len, t.ptr);
        if ((c = read_values(L, tv, cond)) != AT_OK)
            return c;
    }
    return AT_OK;
}

static at_code read_feed(loader *L, const yaml_node_t *n, at_map_feed *feed)
{
    static const char *hint = "write a feed as: - entity: people, then columns: (and where:, "
                              "distinct: if needed)";
    at_code c = want(L, n, YAML_MAPPING_NODE, "a feed", hint);
    static const char *const keys[] = {"entity", "columns", "where", "distinct", NULL};
    if (c != AT_OK || (c = check_keys(L, n, keys, "a feed")) != AT_OK)
        return c;
    feed->place = place_of(n);
    yaml_node_t *en = get(L, n, "entity");
    if (!en)
        return fail_at(L, n, AT_ERR_INVALID, hint, "the feed does not say its entity");
    if ((c = want(L, en, YAML_SCALAR_NODE, "entity", hint)) != AT_OK)
        return c;
    feed->entity = at_entity_find(scalar_text(en));
    if (!feed->entity) {
        char list[AT_ERROR_HINT_MAX], q[AT_QUOTE_MAX];
        size_t o = (size_t)snprintf(list, sizeof list, "the entities are:");
        for (size_t i = 0; i < at_entity_count && o < sizeof list; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s %s", i ? "," : "",
                                  at_entities[i]->name);
        return fail_at(L, en, AT_ERR_NOT_FOUND, list, "unknown entity '%s'",
                       at_import_quote(scalar_text(en), q));
    }
    const at_entity *e = feed->entity;
    feed->by_field = at_arena_alloc(&L->m->arena, e->field_count * sizeof *feed->by_field);
    if (!feed->by_field)
        return nomem(L);
    for (size_t i = 0; i < e->field_count; i++)
        feed->by_field[i] = -1;
    yaml_node_t *v;
    if ((v = get(L, n, "distinct")) && (c = read_bool(L, v, "distinct", &feed->distinct)) != AT_OK)
        return c;
    if ((v = get(L, n, "where")) &&
        (c = read_conditions(L, v, &feed->where, &feed->where_count)) != AT_OK)
        return c;
    yaml_node_t *cols = get(L, n, "columns");
    if (!cols) {
        feed->canonical = true;
        return AT_OK;
    }
    if ((c = want(L, cols, YAML_MAPPING_NODE, "columns",
                  "write one line per attain column: name: \"Full Name\"")) != AT_OK ||
        (c = check_keys(L, cols, NULL, "columns")) != AT_OK)
        return c;
    feed->column_count = pair_count(cols);
    feed->columns = at_arena_calloc(&L->m->arena, feed->column_count + 1, sizeof *feed->columns);
    if (!feed->columns)
        return nomem(L);
    size_t i = 0;
    for (yaml_node_pair_t *p = cols->data.mapping.pairs.start; p < cols->data.mapping.pairs.top;
         p++, i++) {
        if ((c = read_column(L, node_at(L, p->key), node_at(L, p->value), e,
                             &feed->columns[i])) != AT_OK)
            return c;
        feed->by_field[feed->columns[i].field] = (int)i;
    }
    for (size_t f = 0; f < e->field_count; f++) {
        const at_field *field = &e->fields[f];
        if (field->required && !field->default_value && feed->by_field[f] < 0)
            return fail_at(L, cols, AT_ERR_INVALID,
                           "add a line for it under columns: (from a source column, a template "
                           "or a value)",
                           "the feed of %s does not fill the required column %s", e->name,
                           field->name);
    }
    return AT_OK;
}

static at_code read_file_entry(loader *L, const yaml_node_t *n, at_map_file *file)
{
    static const char *hint = "write a file as: - file: deals.csv, then feeds: (a list of "
                              "- entity: ... with columns:)";
    at_code c = want(L, n, YAML_MAPPING_NODE, "a file entry", hint);
    static const char *const keys[] = {"file", "feeds", "delimiter", "optional",
                                       "end_at_short_row", NULL};
    if (c != AT_OK || (c = check_keys(L, n, keys, "a file entry")) != AT_OK)
        return c;
    file->place = place_of(n);
    yaml_node_t *fn = get(L, n, "file");
    if (!fn)
        return fail_at(L, n, AT_ERR_INVALID, hint, "the file entry does not name its file");
    if ((c = want(L, fn, YAML_SCALAR_NODE, "file", hint)) != AT_OK)
        return c;
    at_str name;
    if ((c = scalar_copy(L, fn, &name)) != AT_OK)
        return c;
    if (name.len == 0 || memchr(name.ptr, '/', name.len))
        return fail_at(L, fn, AT_ERR_INVALID,
                       "name the file without a directory: it is looked for in the directories "
                       "and among the files given to attain import",
                       "file must be a file name without a directory");
    file->file = name.ptr;
    yaml_node_t *v;
    if ((v = get(L, n, "delimiter")) && (c = read_char(L, v, "delimiter", false,
                                                        &file->delimiter)) != AT_OK)
        return c;
    if ((v = get(L, n, "optional")) && (c = read_bool(L, v, "optional", &file->optional)) != AT_OK)
        return c;
    if ((v = get(L, n, "end_at_short_row")) &&
        (c = read_bool(L, v, "end_at_short_row", &file->end_at_short_row)) != AT_OK)
        return c;
    yaml_node_t *feeds = get(L, n, "feeds");
    if (!feeds)
        return fail_at(L, n, AT_ERR_INVALID, hint, "the entry for %s has no feeds", file->file);
    if ((c = want(L, feeds, YAML_SEQUENCE_NODE, "feeds", hint)) != AT_OK)
        return c;
    file->feed_count = item_count(feeds);
    if (file->feed_count == 0)
        return fail_at(L, feeds, AT_ERR_INVALID, hint, "the entry for %s feeds nothing",
                       file->file);
    file->feeds = at_arena_calloc(&L->m->arena, file->feed_count, sizeof *file->feeds);
    if (!file->feeds)
        return nomem(L);
    for (size_t i = 0; i < file->feed_count; i++)
        if ((c = read_feed(L, node_at(L, feeds->data.sequence.items.start[i]),
                           &file->feeds[i])) != AT_OK)
            return c;
    return AT_OK;
}

static at_code read_files(loader *L, const yaml_node_t *n)
{
    at_code c = want(L, n, YAML_SEQUENCE_NODE, "files", "write files: then - file: NAME entries");
    if (c != AT_OK)
        return c;
    L->m->file_count = item_count(n);
    L->m->files = at_arena_calloc(&L->m->arena, L->m->file_count + 1, sizeof *L->m->files);
    if (!L->m->files)
        return nomem(L);
    for (size_t i = 0; i < L->m->file_count; i++) {
        yaml_node_t *fn = node_at(L, n->data.sequence.items.start[i]);
        if ((c = read_file_entry(L, fn, &L->m->files[i])) != AT_OK)
            return c;
        for (size_t j = 0; j < i; j++)
            if (strcmp(L->m->files[j].file, L->m->files[i].file) == 0)
                return fail_at(L, fn, AT_ERR_INVALID,
                               "give each file one entry, with all its feeds",
                               "%s has two entries (the first at line %u)", L->m->files[i].file,
                               L->m->files[j].place.line);
    }
    return AT_OK;
}

/* ---- inline rows -------------------------------------------------------------------------- */

static at_code read_rows(loader *L, const yaml_node_t *n)
{
    static const char *hint = "write rows: then per entity a list of rows: stages: "
                              "[{id: won, name: Won, position: 3, outcome: won}]";
    at_code c = want(L, n, YAML_MAPPING_NODE, "rows", hint);
    if (c != AT_OK || (c = check_keys(L, n, NULL, "rows")) != AT_OK)
        return c;
    L->m->row_group_count = pair_count(n);
    L->m->rows = at_arena_calloc(&L->m->arena, L->m->row_group_count + 1, sizeof *L->m->rows);
    if (!L->m->rows)
        return nomem(L);
    size_t g = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
         p++, g++) {
        at_map_inline *group = &L->m->rows[g];
        yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
        group->place = place_of(k);
        group->entity = at_entity_find(scalar_text(k));
        if (!group->entity) {
            char q[AT_QUOTE_MAX];
            return fail_at(L, k, AT_ERR_NOT_FOUND, "use an entity's name: stages, settings, ...",
                           "unknown entity '%s'", at_import_quote(scalar_text(k), q));
        }
        const at_entity *e = group->entity;
        if ((c = want(L, v, YAML_SEQUENCE_NODE, "an entity's rows", hint)) != AT_OK)
            return c;
        group->row_count = item_count(v);
        group->rows = at_arena_calloc(&L->m->arena, group->row_count + 1, sizeof *group->rows);
        if (!group->rows)
            return nomem(L);
        for (size_t r = 0; r < group->row_count; r++) {
            at_map_inline_row *row = &group->rows[r];
            yaml_node_t *rn = node_at(L, v->data.sequence.items.start[r]);
            if ((c = want(L, rn, YAML_MAPPING_NODE, "a row", hint)) != AT_OK ||
                (c = check_keys(L, rn, NULL, "a row")) != AT_OK)
                return c;
            row->place = place_of(rn);
            row->texts = at_arena_calloc(&L->m->arena, e->field_count, sizeof *row->texts);
            row->places = at_arena_calloc(&L->m->arena, e->field_count, sizeof *row->places);
            if (!row->texts || !row->places)
                return nomem(L);
            for (size_t f = 0; f < e->field_count; f++) {
                row->texts[f] = at_str_make("", 0);
                row->places[f] = row->place;
            }
            for (yaml_node_pair_t *q = rn->data.mapping.pairs.start;
                 q < rn->data.mapping.pairs.top; q++) {
                yaml_node_t *fk = node_at(L, q->key), *fv = node_at(L, q->value);
                int field;
                if ((c = find_field(L, e, fk, &field)) != AT_OK)
                    return c;
                if ((c = want(L, fv, YAML_SCALAR_NODE, "a row's value",
                              "write the value as text, as in a CSV cell")) != AT_OK ||
                    (c = scalar_copy(L, fv, &row->texts[field])) != AT_OK)
                    return c;
                row->places[field] = place_of(fv);
            }
        }
    }
    return AT_OK;
}

/* ---- the document ------------------------------------------------------------------------- */

static at_code read_root(loader *L, const yaml_node_t *root)
{
    static const char *hint = "start the mapping with version: 1, then files: (and maps:, "
                              "rows: when needed); see docs/mapping.md";
    at_code c = want(L, root, YAML_MAPPING_NODE, "the mapping", hint);
    static const char *const keys[] = {"version", "name", "description", "maps", "files",
                                       "rows", NULL};
    if (c != AT_OK || (c = check_keys(L, root, keys, "the mapping")) != AT_OK)
        return c;
    yaml_node_t *v = get(L, root, "version");
    if (!v)
        return fail_at(L, root, AT_ERR_INVALID, hint, "the mapping does not say its version");
    if (!is_scalar(v) || !at_str_eq_cstr(scalar_text(v), "1"))
        return fail_at(L, v, AT_ERR_INVALID,
                       "this attain reads mapping files of version 1: write version: 1",
                       "unsupported mapping version");
    at_str s;
    if ((v = get(L, root, "description"))) {
        if ((c = want(L, v, YAML_SCALAR_NODE, "description", "write one line of text")) != AT_OK ||
            (c = scalar_copy(L, v, &s)) != AT_OK)
            return c;
        L->m->description = s.ptr;
    }
    if ((v = get(L, root, "name")) &&
        (c = want(L, v, YAML_SCALAR_NODE, "name", "write one line of text")) != AT_OK)
        return c;
    if ((v = get(L, root, "maps")) && (c = read_maps(L, v)) != AT_OK)
        return c;
    yaml_node_t *files = get(L, root, "files"), *rows = get(L, root, "rows");
    if (!files && !rows)
        return fail_at(L, root, AT_ERR_INVALID, hint, "the mapping has neither files nor rows");
    if (files && (c = read_files(L, files)) != AT_OK)
        return c;
    if (rows && (c = read_rows(L, rows)) != AT_OK)
        return c;
    return AT_OK;
}

at_code at_mapping_parse(const char *text, size_t len, const char *name, at_mapping **out,
                         at_error *err)
{
    *out = NULL;
    at_mapping *m = calloc(1, sizeof *m);
    if (!m)
        return at_fail(err, AT_ERR_NOMEM, name, NULL, "out of memory reading the mapping");
    at_arena_init(&m->arena, 0);
    const char *base = strrchr(name, '/');
    m->path = at_arena_strdup(&m->arena, name);
    m->name = at_arena_strdup(&m->arena, base ? base + 1 : name);
    if (!m->path || !m->name) {
        at_mapping_free(m);
        return at_fail(err, AT_ERR_NOMEM, name, NULL, "out of memory reading the mapping");
    }
    loader L = {.m = m, .err = err};
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        at_mapping_free(m);
        return at_fail(err, AT_ERR_NOMEM, name, NULL, "out of memory reading the mapping");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    at_code code = AT_OK;
    if (!yaml_parser_load(&parser, &L.doc)) {
        char where[AT_ERROR_WHERE_MAX];
        snprintf(where, sizeof where, "%s:%zu:%zu", m->name, parser.problem_mark.line + 1,
                 parser.problem_mark.column + 1);
        code = at_fail(err, AT_ERR_INVALID, where,
                       "fix the YAML syntax: indent with spaces, put a space after each colon, "
                       "quote values holding : # { } [ ] or starting with a quote",
                       "YAML: %s%s%s", parser.problem ? parser.problem : "syntax error",
                       parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        at_mapping_free(m);
        return code;
    }
    yaml_node_t *root = yaml_document_get_root_node(&L.doc);
    if (!root) {
        char where[AT_ERROR_WHERE_MAX];
        snprintf(where, sizeof where, "%s:1:1", m->name);
        code = at_fail(err, AT_ERR_INVALID, where, "start with version: 1 and files:",
                       "the mapping is empty");
    } else {
        code = read_root(&L, root);
    }
    yaml_document_delete(&L.doc);
    yaml_parser_delete(&parser);
    if (code != AT_OK) {
        at_mapping_free(m);
        return code;
    }
    *out = m;
    return AT_OK;
}

at_code at_mapping_load(const char *path, at_mapping **out, at_error *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return at_fail_errno(err, AT_ERR_IO, path, "open the mapping file");
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 16384;
            if (ncap > ((size_t)16 << 20)) {
                free(text);
                fclose(fp);
                return at_fail(err, AT_ERR_INVALID, path, "a mapping is a short text file",
                               "the mapping file is larger than 16 MiB");
            }
            char *ntext = realloc(text, ncap);
            if (!ntext) {
                free(text);
                fclose(fp);
                return at_fail(err, AT_ERR_NOMEM, path, NULL, "out of memory reading the mapping");
            }
            text = ntext;
            cap = ncap;
        }
        size_t got = fread(text + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(fp) != 0;
    fclose(fp);
    if (failed) {
        free(text);
        return at_fail(err, AT_ERR_IO, path, NULL, "could not read the mapping file");
    }
    at_code code = at_mapping_parse(text ? text : "", len, path, out, err);
    free(text);
    return code;
}

void at_mapping_free(at_mapping *mapping)
{
    if (!mapping)
        return;
    at_arena_free(&mapping->arena);
    free(mapping);
}

const at_map_file *at_mapping_find_file(const at_mapping *mapping, const char *file)
{
    for (size_t i = 0; i < mapping->file_count; i++)
        if (strcmp(mapping->files[i].file, file) == 0)
            return &mapping->files[i];
    return NULL;
}
