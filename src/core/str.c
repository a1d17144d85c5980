/* str.c - length-carrying string views (see str.h). */
#include "core/str.h"

#include <stdio.h>

bool at_str_eq(at_str a, at_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool at_str_eq_cstr(at_str a, const char *b)
{
    return at_str_eq(a, at_str_from(b));
}

static unsigned char lower_ascii(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

bool at_str_eq_nocase(at_str a, at_str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (lower_ascii((unsigned char)a.ptr[i]) != lower_ascii((unsigned char)b.ptr[i]))
            return false;
    return true;
}

bool at_str_starts_with(at_str s, at_str prefix)
{
    return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, prefix.len) == 0);
}

at_str at_str_trim(at_str s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
        s.ptr++;
        s.len--;
    }
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    return s;
}

char *at_str_dup(at_arena *arena, at_str s)
{
    return at_arena_strndup(arena, s.ptr ? s.ptr : "", s.len);
}

char *at_str_copy(at_str s, char *buf, size_t size)
{
    size_t n = s.len < size - 1 ? s.len : size - 1;
    if (n)
        memcpy(buf, s.ptr, n);
    buf[n] = '\0';
    return buf;
}

unsigned long long at_str_hash(at_str s)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < s.len; i++) {
        h ^= (unsigned char)s.ptr[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void at_str_show(const char *p, size_t len, size_t max, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < len && i < max; i++) {
        unsigned char c = (unsigned char)p[i];
        int n = (c >= 0x20 && c < 0x7f) ? snprintf(buf + o, size - o, "%c", c)
                                         : snprintf(buf + o, size - o, "\\x%02X", c);
        if (n < 0 || (size_t)n >= size - o) {
            buf[o] = '\0';
            return;
        }
        o += (size_t)n;
    }
    if (len > max && size - o > 3)
        snprintf(buf + o, size - o, "...");
}
