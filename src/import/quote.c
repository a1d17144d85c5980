/* quote.c - values shown in import messages: cut and made printable (see quote.h). */
#include <stdio.h>

#include "import/quote.h"

#define QUOTE_BYTES 40

const char *at_import_quote(at_str text, char out[AT_QUOTE_MAX])
{
    size_t o = 0;
    size_t n = text.len < QUOTE_BYTES ? text.len : QUOTE_BYTES;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text.ptr[i];
        if (c < 0x20 || c == 0x7f) {
            snprintf(out + o, AT_QUOTE_MAX - o, "\\x%02x", c);
            o += 4;
        } else {
            out[o++] = (char)c;
        }
    }
    if (text.len > n) {
        /* do not leave half a UTF-8 character before the dots */
        size_t back = 0;
        while (back < 3 && o > back && ((unsigned char)out[o - 1 - back] & 0xC0) == 0x80)
            back++;
        if (o > back && ((unsigned char)out[o - 1 - back] & 0xC0) == 0xC0)
            o -= back + 1;
        out[o++] = '.';
        out[o++] = '.';
        out[o++] = '.';
    }
    out[o] = '\0';
    return out;
}
