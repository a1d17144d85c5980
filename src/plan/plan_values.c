/* plan_values.c - the plan reader's problems and values: reporting a problem at a node
 * (file:line:column, what, how to fix), checking a mapping's keys, and reading texts,
 * identifiers, words, booleans, whole numbers, amounts, rates and days from scalars, each with
 * a message that says what was written and what would be accepted. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plan/plan_impl.h"

/* ---- problems ----------------------------------------------------------------------------- */

static void set_where(const at_plan_reader *R, const at_yaml_node *n, char *where, size_t size)
{
    if (n)
        snprintf(where, size, "%s:%d:%d", R->file, n->line, n->column);
    else
        snprintf(where, size, "%s", R->file);
}

void at_plan_nomem(at_plan_reader *R)
{
    R->nomem = true;
}

void at_plan_problem_error(at_plan_reader *R, const at_yaml_node *n, const at_error *e)
{
    at_error copy = *e;
    if (!copy.where[0])
        set_where(R, n, copy.where, sizeof copy.where);
    if (R->problem_count == 0)
        R->first = copy;
    R->problem_count++;
    if (at_error_list_add(R->problems, &copy) != AT_OK)
        R->nomem = true;
}

void at_plan_problem(at_plan_reader *R, const at_yaml_node *n, at_code code, const char *hint,
                     const char *fmt, ...)
{
    at_error e;
    char where[AT_ERROR_WHERE_MAX];
    set_where(R, n, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    at_vfail(&e, code, where, hint, fmt, ap);
    va_end(ap);
    at_plan_problem_error(R, n, &e);
}

at_plan_pos at_plan_pos_of(const at_plan_reader *R, const at_yaml_node *n)
{
    return (at_plan_pos){R->file_copy, n ? n->line : 0, n ? n->column : 0};
}

/* A scalar's text for a message: printable, cut after 40 bytes. */
typedef struct shown {
    char text[64];
} shown;

static shown show(const at_yaml_node *n)
{
    shown s;
    at_str_show(n->text, n->len, 40, s.text, sizeof s.text);
    return s;
}

/* ---- mappings ----------------------------------------------------------------------------- */

const at_yaml_node *at_plan_get(const at_yaml_node *map, const char *key)
{
    if (!map || map->type != AT_YAML_MAP)
        return NULL;
    for (size_t i = 0; i < map->count; i++) {
        const at_yaml_node *k = map->items[2 * i];
        if (k->type == AT_YAML_SCALAR && strcmp(k->text, key) == 0 && strlen(k->text) == k->len)
            return map->items[2 * i + 1];
    }
    return NULL;
}

/* Edit distance with a small cap (for "did you mean"). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* "did you mean 'measure'? " when one name is close to text. */
static void suggest(const char *text, const char *const *names, char *buf, size_t size)
{
    buf[0] = '\0';
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; names[i]; i++) {
        size_t d = distance(text, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    if (best)
        snprintf(buf, size, "did you mean '%s'? ", best);
}

static void join(const char *const *names, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i] && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
}

void at_plan_check_keys(at_plan_reader *R, const at_yaml_node *map, const char *const *allowed,
                        const char *what, const char *allowed_label)
{
    for (size_t i = 0; i < map->count; i++) {
        const at_yaml_node *k = map->items[2 * i];
        if (k->type != AT_YAML_SCALAR) {
            at_plan_problem(R, k, AT_ERR_INVALID, "write keys as plain names, e.g. `rate: 5%`",
                            "a key in %s must be a single word, not a list or mapping", what);
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) {
            const at_yaml_node *k2 = map->items[2 * j];
            if (k2->type == AT_YAML_SCALAR && k2->len == k->len &&
                memcmp(k2->text, k->text, k->len) == 0) {
                at_plan_problem(R, k, AT_ERR_CONFLICT, "give each key once: remove one of them",
                                "'%s' is given twice in %s (first at line %d)", show(k).text,
                                what, k2->line);
                dup = true;
            }
        }
        if (dup)
            continue;
        bool ok = false;
        for (size_t j = 0; allowed[j] && !ok; j++)
            ok = strcmp(allowed[j], k->text) == 0 && strlen(k->text) == k->len;
        if (ok)
            continue;
        char near[80], list[AT_ERROR_HINT_MAX], hint[AT_ERROR_HINT_MAX + 96];
        suggest(k->text, allowed, near, sizeof near);
        join(allowed, list, sizeof list);
        snprintf(hint, sizeof hint, "%skeys of %s: %s", near, allowed_label, list);
        at_plan_problem(R, k, AT_ERR_INVALID, hint, "unknown key '%s' in %s", show(k).text,
                        what);
    }
}

static const char *node_kind(const at_yaml_node *n)
{
    return n->type == AT_YAML_SCALAR ? "a single value"
           : n->type == AT_YAML_LIST ? "a list"
                                     : "a mapping (key: value)";
}

bool at_plan_want_map(at_plan_reader *R, const at_yaml_node *n, const char *what,
                      const char *hint)
{
    if (n->type == AT_YAML_MAP)
        return true;
    at_plan_problem(R, n, AT_ERR_INVALID, hint, "%s must be a mapping (key: value), not %s",
                    what, node_kind(n));
    return false;
}

bool at_plan_want_list(at_plan_reader *R, const at_yaml_node *n, const char *what,
                       const char *hint)
{
    if (n->type == AT_YAML_LIST)
        return true;
    at_plan_problem(R, n, AT_ERR_INVALID, hint, "%s must be a list, not %s", what,
                    node_kind(n));
    return false;
}

/* ---- scalars ------------------------------------------------------------------------------ */

/* A scalar with a value; else reports why not. */
static bool want_value(at_plan_reader *R, const at_yaml_node *n, const char *what)
{
    if (n->type != AT_YAML_SCALAR) {
        at_plan_problem(R, n, AT_ERR_INVALID, "write one value after the colon",
                        "%s must be a single value, not %s", what, node_kind(n));
        return false;
    }
    if (at_yaml_is_null(n)) {
        at_plan_problem(R, n, AT_ERR_INVALID, "write a value after the colon, or leave the key out",
                        "%s has no value", what);
        return false;
    }
    if (strlen(n->text) != n->len) {
        at_plan_problem(R, n, AT_ERR_INVALID, "remove the NUL character",
                        "%s holds a NUL character", what);
        return false;
    }
    return true;
}

bool at_plan_read_text(at_plan_reader *R, const at_yaml_node *n, const char *what,
                       size_t max_len, const char **out)
{
    if (!want_value(R, n, what))
        return false;
    if (n->len > max_len) {
        at_plan_problem(R, n, AT_ERR_INVALID, "shorten it", "%s is %zu bytes long; at most %zu",
                        what, n->len, max_len);
        return false;
    }
    char *copy = at_arena_strndup(R->arena, n->text, n->len);
    if (!copy) {
        at_plan_nomem(R);
        return false;
    }
    *out = copy;
    return true;
}

bool at_plan_read_ident(at_plan_reader *R, const at_yaml_node *n, const char *what,
                        const char **out)
{
    if (!want_value(R, n, what))
        return false;
    bool ok = n->len <= 64 && n->text[0] >= 'a' && n->text[0] <= 'z';
    for (size_t i = 1; ok && i < n->len; i++) {
        char c = n->text[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (!ok) {
        at_plan_problem(R, n, AT_ERR_INVALID,
                        "use lower-case letters, digits and _, starting with a letter (at most "
                        "64), e.g. new_bookings",
                        "%s '%s' is not an identifier", what, show(n).text);
        return false;
    }
    return at_plan_read_text(R, n, what, 64, out);
}

bool at_plan_read_enum(at_plan_reader *R, const at_yaml_node *n, const char *what,
                       const char *const *names, int *out)
{
    if (!want_value(R, n, what))
        return false;
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], n->text) == 0) {
            *out = i;
            return true;
        }
    }
    char near[80], list[AT_ERROR_HINT_MAX], hint[AT_ERROR_HINT_MAX + 96];
    suggest(n->text, names, near, sizeof near);
    join(names, list, sizeof list);
    snprintf(hint, sizeof hint, "%swrite one of: %s", near, list);
    at_plan_problem(R, n, AT_ERR_INVALID, hint, "%s '%s' is not one of the words it takes",
                    what, show(n).text);
    return false;
}

static bool word_nocase(const at_yaml_node *n, const char *word)
{
    return at_str_eq_nocase(at_str_make(n->text, n->len), at_str_from(word));
}

bool at_plan_read_bool(at_plan_reader *R, const at_yaml_node *n, const char *what, bool *out)
{
    if (!want_value(R, n, what))
        return false;
    if (word_nocase(n, "true") || word_nocase(n, "yes")) {
        *out = true;
        return true;
    }
    if (word_nocase(n, "false") || word_nocase(n, "no")) {
        *out = false;
        return true;
    }
    at_plan_problem(R, n, AT_ERR_INVALID, "write true or false", "%s must be true or false, not '%s'",
                    what, show(n).text);
    return false;
}

/* A hint for number-like text that is written in a way attain does not read, or NULL. */
static const char *number_hint(const at_yaml_node *n, bool money)
{
    const char *t = n->text;
    bool digit = false;
    for (size_t i = 0; i < n->len; i++)
        digit |= t[i] >= '0' && t[i] <= '9';
    if (!digit)
        return NULL;
    if (strchr(t, ','))
        return "write numbers without thousands separators: 1500.00, not 1,500.00";
    if (strchr(t, '_'))
        return "write numbers without underscores: 1500000, not 1_500_000";
    if (strchr(t, ' '))
        return "write the number without spaces";
    if (t[0] == '$' || (unsigned char)t[0] >= 0x80 || (t[0] >= 'A' && t[0] <= 'Z'))
        return "write the amount without a currency: the plan's `currency:` says which";
    if (money && n->len && t[n->len - 1] == '%')
        return "this is an amount, not a rate: write it as a number such as 1500.00";
    for (size_t i = 1; i + 1 < n->len; i++)
        if ((t[i] == 'e' || t[i] == 'E') && t[i - 1] >= '0' && t[i - 1] <= '9')
            return "write the number in full: 1000, not 1e3";
    return NULL;
}

bool at_plan_read_int(at_plan_reader *R, const at_yaml_node *n, const char *what, int64_t min,
                      int64_t max, int64_t *out)
{
    if (!want_value(R, n, what))
        return false;
    const char *t = n->text;
    size_t i = 0;
    bool neg = false;
    if (t[0] == '-' || t[0] == '+') {
        neg = t[0] == '-';
        i = 1;
    }
    int64_t v = 0;
    bool ok = i < n->len;
    for (; ok && i < n->len; i++) {
        if (t[i] < '0' || t[i] > '9' || v > (INT64_MAX - 9) / 10)
            ok = false;
        else
            v = v * 10 + (t[i] - '0');
    }
    if (!ok) {
        const char *hint = number_hint(n, false);
        at_plan_problem(R, n, AT_ERR_INVALID, hint ? hint : "write a whole number, e.g. 90",
                        "%s '%s' is not a whole number", what, show(n).text);
        return false;
    }
    if (neg)
        v = -v;
    if (v < min || v > max) {
        char hint[96];
        if (max == INT64_MAX)
            snprintf(hint, sizeof hint, "write a whole number of at least %lld", (long long)min);
        else
            snprintf(hint, sizeof hint, "write a whole number from %lld to %lld",
                     (long long)min, (long long)max);
        at_plan_problem(R, n, AT_ERR_INVALID, hint, "%s %lld is out of range", what,
                        (long long)v);
        return false;
    }
    *out = v;
    return true;
}

bool at_plan_read_money(at_plan_reader *R, const at_yaml_node *n, const char *what,
                        at_money *out)
{
    if (!want_value(R, n, what))
        return false;
    const char *hint = number_hint(n, true);
    if (hint) {
        at_plan_problem(R, n, AT_ERR_INVALID, hint, "%s '%s' is not an amount", what,
                        show(n).text);
        return false;
    }
    at_error e;
    if (at_money_parse(at_str_make(n->text, n->len), out, &e) != AT_OK) {
        at_error_prefix_message(&e, what, ": ");
        at_plan_problem_error(R, n, &e);
        return false;
    }
    return true;
}

bool at_plan_read_rate(at_plan_reader *R, const at_yaml_node *n, const char *what,
                       bool max_one, at_rate *out)
{
    if (!want_value(R, n, what))
        return false;
    const char *hint = number_hint(n, false);
    if (hint) {
        at_plan_problem(R, n, AT_ERR_INVALID, hint, "%s '%s' is not a rate", what, show(n).text);
        return false;
    }
    at_error e;
    at_rate r;
    if (at_rate_parse(at_str_make(n->text, n->len), &r, &e) != AT_OK) {
        at_error_prefix_message(&e, what, ": ");
        if (!e.hint[0] || strchr(n->text, '%') == NULL)
            snprintf(e.hint, sizeof e.hint, "write a rate as 5%% or 0.05");
        at_plan_problem_error(R, n, &e);
        return false;
    }
    if (max_one && r > AT_RATE_SCALE) {
        bool percent = n->len && n->text[n->len - 1] == '%';
        at_plan_problem(R, n, AT_ERR_INVALID,
                        percent ? "a rate here is at most 100%"
                                : "a rate without % is a fraction: write 5% (or 0.05) for five "
                                  "percent",
                        "%s '%s' is more than 100%%", what, show(n).text);
        return false;
    }
    *out = r;
    return true;
}

bool at_plan_read_day(at_plan_reader *R, const at_yaml_node *n, const char *what, at_day *out)
{
    if (!want_value(R, n, what))
        return false;
    at_error e;
    if (at_day_parse(at_str_make(n->text, n->len), out, &e) != AT_OK) {
        at_error_prefix_message(&e, what, ": ");
        at_plan_problem_error(R, n, &e);
        return false;
    }
    return true;
}

bool at_plan_read_text_list(at_plan_reader *R, const at_yaml_node *n, const char *what,
                            const char *const **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!at_plan_want_list(R, n, what, "write a list: [A, B] or one `- A` per line"))
        return false;
    if (n->count == 0)
        return true;
    const char **items = at_arena_calloc(R->arena, n->count, sizeof *items);
    if (!items) {
        at_plan_nomem(R);
        return false;
    }
    bool ok = true;
    size_t k = 0;
    for (size_t i = 0; i < n->count; i++) {
        const at_yaml_node *it = n->items[i];
        const char *s;
        if (!at_plan_read_text(R, it, what, 128, &s)) {
            ok = false;
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++)
            dup = strcmp(items[j], s) == 0;
        if (dup) {
            at_plan_problem(R, it, AT_ERR_CONFLICT, "list each value once",
                            "'%s' is listed twice in %s", show(it).text, what);
            ok = false;
            continue;
        }
        items[k++] = s;
    }
    *out = items;
    *count = k;
    return ok;
}
