/* utf8.h - checking that bytes are well-formed UTF-8 (RFC 3629 / Unicode table 3-7).
 *
 * Well-formed means: no stray continuation bytes, no overlong encodings (C0 80 for NUL, E0 80 80,
 * ...), no UTF-16 surrogates (U+D800..U+DFFF, ED A0..BF ..), nothing above U+10FFFF, and no
 * sequence cut short. at_utf8_check_sequence is inline so that parsers (CSV, JSON) can call it
 * from their own scanning loops on the first byte >= 0x80 they meet; at_utf8_validate checks a
 * whole buffer with an ASCII fast path (8 bytes at a time). */
#ifndef ATTAIN_CORE_UTF8_H
#define ATTAIN_CORE_UTF8_H

#include <stddef.h>

typedef enum at_utf8_status {
    AT_UTF8_OK = 0,
    AT_UTF8_INCOMPLETE,         /* the bytes end inside a sequence (more input may complete it) */
    AT_UTF8_CUT_SHORT,          /* a sequence is broken off by a byte that is not 10xxxxxx */
    AT_UTF8_STRAY_CONTINUATION, /* a continuation byte 0x80..0xBF with no lead byte before it */
    AT_UTF8_OVERLONG,           /* a longer encoding than needed: C0, C1, E0 80..9F, F0 80..8F */
    AT_UTF8_SURROGATE,          /* U+D800..U+DFFF (ED A0..BF): UTF-16 halves, not characters */
    AT_UTF8_TOO_LARGE,          /* above U+10FFFF (F4 90.. and up) */
    AT_UTF8_NEVER_VALID,        /* bytes 0xF5..0xFF never appear in UTF-8 */
} at_utf8_status;

/* Checks the sequence starting at p (avail >= 1 bytes readable). Sets *len to the length the
 * lead byte announces (1 for ASCII, 2..4 otherwise, 1 for a byte that cannot start a sequence)
 * and returns AT_UTF8_OK when the whole sequence is present and well-formed. The bad byte is
 * always reported at p: the start of the character that cannot be decoded. */
static inline at_utf8_status at_utf8_check_sequence(const unsigned char *p, size_t avail,
                                                    size_t *len)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t need;
    *len = 1;
    if (c < 0x80)
        return AT_UTF8_OK;
    if (c < 0xC0)
        return AT_UTF8_STRAY_CONTINUATION;
    if (c < 0xC2)
        return AT_UTF8_OVERLONG;
    if (c < 0xE0) {
        need = 2;
    } else if (c < 0xF0) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c < 0xF5) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return AT_UTF8_NEVER_VALID;
    }
    *len = need;
    if (avail < 2)
        return AT_UTF8_INCOMPLETE;
    unsigned char c1 = p[1];
    if (c1 < lo || c1 > hi) {
        if (c1 < 0x80 || c1 > 0xBF)
            return AT_UTF8_CUT_SHORT;
        if (c == 0xE0 || c == 0xF0)
            return AT_UTF8_OVERLONG;
        if (c == 0xED)
            return AT_UTF8_SURROGATE;
        return AT_UTF8_TOO_LARGE; /* F4 90..BF */
    }
    for (size_t i = 2; i < need; i++) {
        if (avail <= i)
            return AT_UTF8_INCOMPLETE;
        if ((p[i] & 0xC0) != 0x80)
            return AT_UTF8_CUT_SHORT;
    }
    return AT_UTF8_OK;
}

/* Checks len bytes. Returns AT_UTF8_OK, or the first problem with *bad_offset (when not NULL)
 * set to the offset of the first byte of the bad character. A sequence cut off by the end of
 * the buffer is AT_UTF8_INCOMPLETE. */
at_utf8_status at_utf8_validate(const char *s, size_t len, size_t *bad_offset);

/* A phrase for people about the bad character whose first byte is at p (avail bytes readable),
 * e.g. "byte 0xFF never appears in UTF-8" or "the sequence starting with byte 0xE2 is cut
 * short". Writes into buf (NUL-terminated, cut if needed) and returns buf. */
const char *at_utf8_describe(at_utf8_status status, const unsigned char *p, size_t avail,
                             char *buf, size_t size);

#endif
