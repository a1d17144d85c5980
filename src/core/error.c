/* error.c - filling, formatting and collecting at_error (see error.h). */
#include "core/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_text(char *dst, size_t size, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    snprintf(dst, size, "%s", src);
}

at_code at_vfail(at_error *err, at_code code, const char *where, const char *hint,
                 const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    copy_text(err->where, sizeof err->where, where);
    copy_text(err->hint, sizeof err->hint, hint);
    if (fmt)
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    else
        err->message[0] = '\0';
    return code;
}

at_code at_fail(at_error *err, at_code code, const char *where, const char *hint,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_vfail(err, code, where, hint, fmt, ap);
    va_end(ap);
    return code;
}

at_code at_fail_errno(at_error *err, at_code code, const char *path, const char *doing)
{
    int saved = errno;
    const char *hint = NULL;
    if (saved == ENOENT)
        hint = "check the path: the file or directory does not exist";
    else if (saved == EACCES || saved == EPERM)
        hint = "check the permissions of the file and the directories above it";
    else if (saved == ENOSPC)
        hint = "free some disk space and try again";
    return at_fail(err, code, path, hint, "cannot %s: %s", doing, strerror(saved));
}

void at_error_clear(at_error *err)
{
    if (!err)
        return;
    err->code = AT_OK;
    err->where[0] = err->message[0] = err->hint[0] = '\0';
}

void at_error_prefix_where(at_error *err, const char *context)
{
    if (!err || !context || !context[0])
        return;
    char joined[AT_ERROR_WHERE_MAX];
    int n; /* cutting is intended: where is for people, and the start matters most */
    if (err->where[0])
        n = snprintf(joined, sizeof joined, "%s: %s", context, err->where);
    else
        n = snprintf(joined, sizeof joined, "%s", context);
    if (n >= 0)
        memcpy(err->where, joined, sizeof joined);
}

void at_error_prefix_message(at_error *err, const char *a, const char *b)
{
    if (!err)
        return;
    char prefix[AT_ERROR_MESSAGE_MAX];
    int n = snprintf(prefix, sizeof prefix, "%s%s", a ? a : "", b ? b : "");
    size_t p = n < 0 ? 0 : (size_t)n;
    if (p >= sizeof err->message)
        p = sizeof err->message - 1;
    size_t old = strlen(err->message);
    if (p + old >= sizeof err->message)
        old = sizeof err->message - 1 - p;
    memmove(err->message + p, err->message, old);
    memcpy(err->message, prefix, p);
    err->message[p + old] = '\0';
}

const char *at_code_name(at_code code)
{
    switch (code) {
    case AT_OK: return "ok";
    case AT_ERR_INVALID: return "invalid";
    case AT_ERR_OVERFLOW: return "overflow";
    case AT_ERR_NOT_FOUND: return "not_found";
    case AT_ERR_CONFLICT: return "conflict";
    case AT_ERR_LOCKED: return "locked";
    case AT_ERR_IO: return "io";
    case AT_ERR_NOMEM: return "out_of_memory";
    case AT_ERR_STORE: return "store";
    case AT_ERR_USAGE: return "usage";
    case AT_ERR_INTERNAL: return "internal";
    }
    return "unknown";
}

int at_error_format(const at_error *err, char *buf, size_t size)
{
    if (!err)
        return snprintf(buf, size, "error: (no details)\n");
    return snprintf(buf, size, "%s%serror: %s\n%s%s%s", err->where, err->where[0] ? ": " : "",
                    err->message[0] ? err->message : at_code_name(err->code),
                    err->hint[0] ? "  hint: " : "", err->hint, err->hint[0] ? "\n" : "");
}

void at_error_list_init(at_error_list *list, size_t limit)
{
    memset(list, 0, sizeof *list);
    list->limit = limit ? limit : 100;
}

void at_error_list_free(at_error_list *list)
{
    free(list->items);
    memset(list, 0, sizeof *list);
}

at_code at_error_list_add(at_error_list *list, const at_error *err)
{
    size_t limit = list->limit ? list->limit : 100;
    list->total++;
    if (list->count >= limit)
        return AT_OK;
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 16;
        if (cap > limit)
            cap = limit;
        at_error *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return AT_ERR_NOMEM;
        list->items = grown;
        list->capacity = cap;
    }
    list->items[list->count++] = *err;
    return AT_OK;
}

at_code at_error_list_addf(at_error_list *list, at_code code, const char *where, const char *hint,
                           const char *fmt, ...)
{
    at_error e;
    va_list ap;
    va_start(ap, fmt);
    at_vfail(&e, code, where, hint, fmt, ap);
    va_end(ap);
    return at_error_list_add(list, &e);
}
