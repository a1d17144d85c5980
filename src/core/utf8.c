/* utf8.c - whole-buffer UTF-8 validation and descriptions of bad bytes (see utf8.h). */
#include "core/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

at_utf8_status at_utf8_validate(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path: 8 bytes at a time while none has its high bit set */
        while (i + 8 <= len) {
            uint64_t word;
            memcpy(&word, p + i, sizeof word);
            if (word & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        while (i < len && p[i] < 0x80)
            i++;
        if (i >= len)
            break;
        size_t n;
        at_utf8_status st = at_utf8_check_sequence(p + i, len - i, &n);
        if (st != AT_UTF8_OK) {
            if (bad_offset)
                *bad_offset = i;
            return st;
        }
        i += n;
    }
    return AT_UTF8_OK;
}

const char *at_utf8_describe(at_utf8_status status, const unsigned char *p, size_t avail,
                             char *buf, size_t size)
{
    unsigned b0 = avail > 0 ? p[0] : 0;
    unsigned b1 = avail > 1 ? p[1] : 0;
    switch (status) {
    case AT_UTF8_OK:
        snprintf(buf, size, "well-formed UTF-8");
        break;
    case AT_UTF8_INCOMPLETE:
        snprintf(buf, size, "the sequence starting with byte 0x%02X is cut short by the end of "
                            "the data", b0);
        break;
    case AT_UTF8_CUT_SHORT:
        snprintf(buf, size, "the sequence starting with byte 0x%02X is cut short", b0);
        break;
    case AT_UTF8_STRAY_CONTINUATION:
        snprintf(buf, size, "byte 0x%02X continues a character that never started", b0);
        break;
    case AT_UTF8_OVERLONG:
        if (b0 == 0xC0 || b0 == 0xC1)
            snprintf(buf, size, "byte 0x%02X starts an overlong encoding", b0);
        else
            snprintf(buf, size, "bytes 0x%02X 0x%02X start an overlong encoding", b0, b1);
        break;
    case AT_UTF8_SURROGATE:
        snprintf(buf, size, "bytes 0x%02X 0x%02X encode a UTF-16 surrogate", b0, b1);
        break;
    case AT_UTF8_TOO_LARGE:
        snprintf(buf, size, "bytes 0x%02X 0x%02X encode a code point above U+10FFFF", b0, b1);
        break;
    case AT_UTF8_NEVER_VALID:
        snprintf(buf, size, "byte 0x%02X never appears in UTF-8", b0);
        break;
    }
    return buf;
}
