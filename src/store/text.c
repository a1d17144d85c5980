/* text.c - the store's growable text buffer: the SQL it builds from the entity descriptors
 * and the JSON of its audit rows. Appends never fail loudly: running out of memory marks the
 * buffer failed, and the caller checks once at the end. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

void at_text_init(at_text *t)
{
    t->ptr = NULL;
    t->len = t->cap = 0;
    t->failed = false;
}

void at_text_free(at_text *t)
{
    free(t->ptr);
    at_text_init(t);
}

void at_text_clear(at_text *t)
{
    t->len = 0;
    t->failed = false;
    if (t->ptr)
        t->ptr[0] = '\0';
}

static bool reserve(at_text *t, size_t more)
{
    if (t->failed)
        return false;
    if (more > SIZE_MAX / 2 - t->len - 1) {
        t->failed = true;
        return false;
    }
    size_t need = t->len + more + 1;
    if (need <= t->cap)
        return true;
    size_t cap = t->cap ? t->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(t->ptr, cap);
    if (!p) {
        t->failed = true;
        return false;
    }
    t->ptr = p;
    t->cap = cap;
    return true;
}

void at_text_addn(at_text *t, const char *s, size_t n)
{
    if (!reserve(t, n))
        return;
    if (n)
        memcpy(t->ptr + t->len, s, n);
    t->len += n;
    t->ptr[t->len] = '\0';
}

void at_text_add(at_text *t, const char *s)
{
    at_text_addn(t, s, strlen(s));
}

void at_text_addf(at_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->failed = true;
        return;
    }
    if (!reserve(t, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(t->ptr + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static void add_quoted(at_text *t, const char *s, char quote)
{
    at_text_addn(t, &quote, 1);
    for (const char *p = s; *p; p++) {
        if (*p == quote)
            at_text_addn(t, &quote, 1);
        at_text_addn(t, p, 1);
    }
    at_text_addn(t, &quote, 1);
}

void at_text_ident(at_text *t, const char *name)
{
    add_quoted(t, name, '"');
}

void at_text_sql_string(at_text *t, const char *s)
{
    add_quoted(t, s, '\'');
}

void at_text_json_string(at_text *t, at_str s)
{
    static const char hex[] = "0123456789abcdef";
    at_text_add(t, "\"");
    if (!s.ptr || !s.len) {
        at_text_add(t, "\"");
        return;
    }
    size_t start = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        at_text_addn(t, s.ptr + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': at_text_add(t, "\\\""); break;
        case '\\': at_text_add(t, "\\\\"); break;
        case '\n': at_text_add(t, "\\n"); break;
        case '\r': at_text_add(t, "\\r"); break;
        case '\t': at_text_add(t, "\\t"); break;
        default: {
            char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], '\0'};
            at_text_add(t, esc);
        }
        }
    }
    at_text_addn(t, s.ptr + start, s.len - start);
    at_text_add(t, "\"");
}

const char *at_text_cstr(const at_text *t)
{
    return t->failed || !t->ptr ? "" : t->ptr;
}
