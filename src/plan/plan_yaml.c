/* plan_yaml.c - libyaml's event stream turned into a tree of at_yaml_node with line and
 * column (see plan_yaml.h). The reader (plan_read.c) walks the tree. */
#include "plan/plan_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct frame {
    at_yaml_node *node;
    at_yaml_node **items;
    size_t count, capacity;
} frame;

typedef struct builder {
    const char *file;
    const char *text;
    size_t length;
    at_arena *arena;
    at_error *err;
    frame stack[AT_PLAN_YAML_DEPTH_MAX];
    int depth;
    at_yaml_node *root;
} builder;

static at_code fail_at(builder *b, int line, int column, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static at_code fail_at(builder *b, int line, int column, const char *hint, const char *fmt, ...)
{
    char where[AT_ERROR_WHERE_MAX];
    snprintf(where, sizeof where, "%s:%d:%d", b->file, line, column);
    va_list ap;
    va_start(ap, fmt);
    at_vfail(b->err, AT_ERR_INVALID, where, hint, fmt, ap);
    va_end(ap);
    return AT_ERR_INVALID;
}

static at_code nomem(builder *b)
{
    return at_fail(b->err, AT_ERR_NOMEM, b->file, NULL, "out of memory reading the plan");
}

static at_yaml_node *new_node(builder *b, at_yaml_type type, yaml_mark_t mark)
{
    at_yaml_node *n = at_arena_calloc(b->arena, 1, sizeof *n);
    if (!n)
        return NULL;
    n->type = type;
    n->line = (int)mark.line + 1;
    n->column = (int)mark.column + 1;
    return n;
}

/* Adds a finished node to the open container (or makes it the root). */
static at_code add(builder *b, at_yaml_node *n)
{
    if (b->depth == 0) {
        b->root = n;
        return AT_OK;
    }
    frame *f = &b->stack[b->depth - 1];
    if (f->count == f->capacity) {
        size_t cap = f->capacity ? f->capacity * 2 : 8;
        at_yaml_node **grown = realloc(f->items, cap * sizeof *grown);
        if (!grown)
            return nomem(b);
        f->items = grown;
        f->capacity = cap;
    }
    f->items[f->count++] = n;
    return AT_OK;
}

static at_code open_container(builder *b, at_yaml_type type, yaml_mark_t mark)
{
    if (b->depth == AT_PLAN_YAML_DEPTH_MAX)
        return fail_at(b, (int)mark.line + 1, (int)mark.column + 1,
                       "a plan nests at most a few levels: check the indentation",
                       "lists and mappings are nested more than %d deep",
                       AT_PLAN_YAML_DEPTH_MAX);
    at_yaml_node *n = new_node(b, type, mark);
    if (!n)
        return nomem(b);
    b->stack[b->depth++] = (frame){.node = n};
    return AT_OK;
}

static at_code close_container(builder *b)
{
    frame f = b->stack[--b->depth];
    at_yaml_node *n = f.node;
    if (f.count) {
        n->items = at_arena_alloc(b->arena, f.count * sizeof *n->items);
        if (!n->items) {
            free(f.items);
            return nomem(b);
        }
        memcpy(n->items, f.items, f.count * sizeof *n->items);
    }
    free(f.items);
    n->count = n->type == AT_YAML_MAP ? f.count / 2 : f.count;
    return add(b, n);
}

static at_code scalar(builder *b, const yaml_event_t *ev)
{
    at_yaml_node *n = new_node(b, AT_YAML_SCALAR, ev->start_mark);
    if (!n)
        return nomem(b);
    size_t len = ev->data.scalar.length;
    char *text = at_arena_alloc(b->arena, len + 1);
    if (!text)
        return nomem(b);
    memcpy(text, ev->data.scalar.value, len);
    text[len] = '\0';
    n->text = text;
    n->len = len;
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = AT_YAML_QUOTED; break;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE: n->style = AT_YAML_BLOCK; break;
    default: n->style = AT_YAML_PLAIN; break;
    }
    return add(b, n);
}

/* Line and column of a byte offset (for reader errors, which give only an offset). */
static void offset_place(const char *text, size_t length, size_t offset, int *line, int *column)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < offset && i < length; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *column = c;
}

static at_code syntax_error(builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        return nomem(b);
    if (p->error == YAML_READER_ERROR) {
        int line, column;
        offset_place(b->text, b->length, p->problem_offset, &line, &column);
        return fail_at(b, line, column, "save the plan as UTF-8 text",
                       "the file is not readable text: %s",
                       p->problem ? p->problem : "bad byte");
    }
    int line = (int)p->problem_mark.line + 1, column = (int)p->problem_mark.column + 1;
    const char *hint = "check the indentation, and put a value that holds ': ' or ' #' in quotes";
    size_t off = p->problem_mark.index;
    if (off < b->length && b->text[off] == '\t')
        hint = "indent with spaces: YAML does not allow tabs for indentation";
    if (p->context)
        return fail_at(b, line, column, hint, "YAML syntax: %s %s", p->problem ? p->problem : "",
                       p->context);
    return fail_at(b, line, column, hint, "YAML syntax: %s", p->problem ? p->problem : "error");
}

static at_code handle(builder *b, const yaml_event_t *ev, int *documents, bool *done)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*documents > 1)
            return fail_at(b, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
                           "put each plan in a file of its own",
                           "a plan file holds one document, and this is a second one");
        return AT_OK;
    case YAML_ALIAS_EVENT:
        return fail_at(b, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
                       "write the value out where it is used",
                       "aliases (*%s) are not allowed in plans",
                       ev->data.alias.anchor ? (const char *)ev->data.alias.anchor : "");
    case YAML_SCALAR_EVENT: return scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT: return open_container(b, AT_YAML_LIST, ev->start_mark);
    case YAML_MAPPING_START_EVENT: return open_container(b, AT_YAML_MAP, ev->start_mark);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return close_container(b);
    case YAML_STREAM_END_EVENT: *done = true; return AT_OK;
    default: return AT_OK;
    }
}

at_code at_plan_yaml_parse(const char *text, size_t length, const char *file, at_arena *arena,
                           at_yaml_node **root, at_error *err)
{
    builder b = {.file = file ? file : "plan", .text = text, .length = length, .arena = arena,
                 .err = err};
    *root = NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return nomem(&b);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, length);
    at_code code = AT_OK;
    int documents = 0;
    bool done = false;
    while (!done && code == AT_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            code = syntax_error(&b, &parser);
            break;
        }
        code = handle(&b, &ev, &documents, &done);
        yaml_event_delete(&ev);
    }
    while (b.depth > 0)
        free(b.stack[--b.depth].items);
    yaml_parser_delete(&parser);
    if (code != AT_OK)
        return code;
    if (!b.root)
        return fail_at(&b, 1, 1, "start with `plan: NAME` (see docs/plans.md)",
                       "the file holds no plan: it is empty or only comments");
    *root = b.root;
    return AT_OK;
}

bool at_yaml_is_null(const at_yaml_node *n)
{
    if (!n || n->type != AT_YAML_SCALAR || n->style != AT_YAML_PLAIN)
        return false;
    return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
           strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
}
