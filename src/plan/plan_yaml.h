/* plan_yaml.h - a plan document as a tree of nodes, each with its line and column (private to
 * src/plan). Built from libyaml's events by plan_yaml.c; JSON goes through the same parser
 * (it is YAML flow style). Aliases (*name) are refused, nesting is limited, and a file holds
 * one document: what a plan never needs cannot be used to make the reader slow. */
#ifndef ATTAIN_PLAN_PLAN_YAML_H
#define ATTAIN_PLAN_PLAN_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"

/* How deep mappings and lists may nest (a plan needs about 6). */
#define AT_PLAN_YAML_DEPTH_MAX 64

typedef enum at_yaml_type {
    AT_YAML_SCALAR = 0,
    AT_YAML_LIST,
    AT_YAML_MAP,
} at_yaml_type;

typedef enum at_yaml_style {
    AT_YAML_PLAIN = 0, /* bookings, 5%, 2026-01-01 */
    AT_YAML_QUOTED,    /* 'x' or "x" */
    AT_YAML_BLOCK,     /* | or > */
} at_yaml_style;

typedef struct at_yaml_node at_yaml_node;
struct at_yaml_node {
    at_yaml_type type;
    int line, column;           /* 1-based, of the node's first character */
    /* scalars */
    at_yaml_style style;
    const char *text;           /* NUL-terminated (it may also hold NULs: use len) */
    size_t len;
    /* lists: items[0..count); maps: items[2i] is the i-th key, items[2i + 1] its value */
    at_yaml_node **items;
    size_t count;               /* items of a list, pairs of a map */
};

/* Parses text into a tree in arena. A syntax error is AT_ERR_INVALID with where =
 * "file:line:column" and libyaml's problem as the message; an empty document (nothing but
 * comments) is AT_ERR_INVALID too. */
at_code at_plan_yaml_parse(const char *text, size_t length, const char *file, at_arena *arena,
                           at_yaml_node **root, at_error *err);

/* A plain scalar that YAML reads as null: empty, ~, null, Null, NULL. */
bool at_yaml_is_null(const at_yaml_node *node);

#endif
