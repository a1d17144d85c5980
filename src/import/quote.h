/* quote.h - how import messages show a value people wrote: at most 40 bytes, control bytes as
 * \xNN, "..." when cut, so a runaway cell never floods a message. */
#ifndef ATTAIN_IMPORT_QUOTE_H
#define ATTAIN_IMPORT_QUOTE_H

#include "core/str.h"

#define AT_QUOTE_MAX 200

/* Writes the value into out (AT_QUOTE_MAX bytes) and returns out. */
const char *at_import_quote(at_str text, char out[AT_QUOTE_MAX]);

#endif
