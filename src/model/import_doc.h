/* import_doc.h - docs/import.md, written from the entity descriptors: how an import works, the
 * value types, the import order, and for every file its columns (type, required, example,
 * meaning), its key and its rules. The committed docs/import.md must equal what this renders;
 * tests/unit/test_import_doc.c fails when they differ and names the command that fixes it. */
#ifndef ATTAIN_MODEL_IMPORT_DOC_H
#define ATTAIN_MODEL_IMPORT_DOC_H

#include "core/arena.h"
#include "core/error.h"
#include "core/str.h"

/* The whole document as Markdown, NUL-terminated, in the arena. AT_ERR_NOMEM. */
at_code at_import_doc_render(at_arena *arena, at_str *out, at_error *err);

/* Renders and writes the document to path (replacing it). AT_ERR_IO naming the path. */
at_code at_import_doc_write(const char *path, at_error *err);

#endif
