/* import_doc.c - writes docs/import.md from the descriptors (import_doc.h): the general rules of
 * an import, the value types, the import order, then one section per file with its columns, key
 * and rules. Everything a file section says comes from entities.c, so the document cannot drift
 * from what the importer checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/entity.h"
#include "model/import_doc.h"

typedef struct type_doc {
    at_field_type type;
    const char *written; /* how to write a value, Markdown */
    const char *example;
} type_doc;

static const type_doc TYPES[] = {
    {AT_FIELD_ID,
     "The row's id in the source system: 1 to 128 characters, no space at either end, no tab, "
     "line break or other control character. Unique within its file and compared exactly (case "
     "matters).",
     "P-1001"},
    {AT_FIELD_REF,
     "The id of a row of the file named after `ref:`, already in the database or in the same "
     "import. An id that names no row is an error naming it.",
     "T-AE-WEST"},
    {AT_FIELD_TEXT,
     "UTF-8 text of at most N characters for `text(N)`, 256 for `text`. Tabs and line breaks "
     "are allowed (quote the cell); other control characters are not.",
     "Acme Corp"},
    {AT_FIELD_EMAIL,
     "An email address: one @, something before it, a domain with a dot after it, no spaces.",
     "ana.lima@example.com"},
    {AT_FIELD_ENUM,
     "Exactly one of the values listed in the type, in lower case as listed.", "won"},
    {AT_FIELD_INT,
     "A whole number: an optional sign and digits, no separators or decimals. `int[a..b]` takes "
     "a to b, `int[a..]` a or more.",
     "1200"},
    {AT_FIELD_MONEY,
     "An amount with at most 4 decimals and a '.' for the decimal point; no thousands "
     "separators, currency signs or exponents. Stored exactly, as an integer count of "
     "1/10,000. `(>= 0)`: not negative.",
     "-1234.50"},
    {AT_FIELD_RATE,
     "A fraction or a percentage: `0.25` and `25%` are the same rate. At most 9 decimals (7 "
     "before a `%`); stored exactly at 1e-9. `rate[0..1]` takes 0 to 1 (0% to 100%).",
     "12.5%"},
    {AT_FIELD_DAY, "A calendar day, `YYYY-MM-DD`, years 0001 to 9999.", "2026-03-31"},
    {AT_FIELD_TIME,
     "A moment, ISO 8601: `YYYY-MM-DDTHH:MM:SSZ`. An offset such as `+02:00` in place of `Z` is "
     "converted to UTC; no offset means UTC; a fraction of a second is dropped; a day alone "
     "means midnight UTC. Stored and exported in UTC.",
     "2026-03-31T14:05:00Z"},
    {AT_FIELD_BOOL,
     "`true` or `false`; `yes`/`no` and `1`/`0` are accepted too, in any case. Exported as "
     "`true`/`false`.",
     "true"},
    {AT_FIELD_CURRENCY,
     "An active ISO 4217 currency code in upper case.", "EUR"},
    {AT_FIELD_COORD,
     "Decimal degrees with at most 6 decimals (about 10 cm), within the bounds in the type; "
     "not degrees, minutes and seconds.",
     "-121.88633"},
    {AT_FIELD_PERIOD,
     "A fiscal period: `2026` (fiscal year), `2026-H1` (half), `2026-Q1` (quarter), `2026-03` "
     "(fiscal month 3: March only when fiscal years start in January). Resolved with the fiscal "
     "calendar of settings.csv.",
     "2026-Q1"},
};

/* Writes s with the characters that would break a table cell escaped: | and line breaks. */
static void cell(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

static void code_cell(FILE *out, const char *s)
{
    if (!s || !*s)
        return;
    fputc('`', out);
    cell(out, s);
    fputc('`', out);
}

/* The general part, one Markdown line per string. */
static const char *const INTRO[] = {
    "# Importing data",
    "",
    "<!-- Generated from the entity descriptors in src/model/entities.c by",
    "src/model/import_doc.c. Do not edit by hand: change the descriptors, run the unit test",
    "test_import_doc, and copy the file its failure message names over this one. -->",
    "",
    "attain reads your data as CSV files, one file per kind of record (people, accounts,",
    "opportunities, transactions, ...). This page lists every file, every column, and the rules a",
    "row must follow. `attain import` reads the files; `attain generate` writes a demo company in",
    "exactly these shapes.",
    "",
    "## How an import works",
    "",
    "- **Files.** Each file is named as in the sections below (`people.csv`): UTF-8 (a byte order",
    "  mark is dropped), comma-separated, quoted as in RFC 4180. The first row names the columns,",
    "  in any order. A column attain does not know is an error (nothing is silently ignored)",
    "  unless a mapping drops it.",
    "- **Empty cells.** An empty cell means the value is not given. A required column (marked",
    "  *yes*) must have a value in every row; a few optional columns have a default, given in",
    "  their meaning. Cells are taken exactly as written: spaces are not trimmed.",
    "- **Keys and updates (upsert).** Each file has a key: the `id` column for most, several",
    "  columns for a few (listed with the file). A row whose key is new is added; a row whose key",
    "  exists replaces that row's values when any of them differs, and changes nothing otherwise.",
    "  Importing the same files twice changes nothing the second time.",
    "- **References.** A `ref:` column holds the id a row has in its own file (`team_id` holds an",
    "  `id` of teams.csv). The row referred to may be in the database already or in the same",
    "  import; files are read in the order below, so that it comes first.",
    "- **All or nothing.** Every cell and every row of every file is checked first, and every",
    "  problem is reported with its file, line, column, what is wrong and how to fix it. If there",
    "  is any problem, nothing is written. Otherwise everything is written in one transaction: an",
    "  import is never half done.",
    "- **Days.** A span of days (`start_date`, `end_date`) includes both ends; an empty",
    "  `end_date` means the span is still open.",
    "",
    NULL,
};

static void write_intro(FILE *out)
{
    for (size_t i = 0; INTRO[i]; i++)
        fprintf(out, "%s\n", INTRO[i]);
}

static void write_types(FILE *out)
{
    fputs("## Value types\n"
          "\n"
          "| type | how to write it | example |\n"
          "| --- | --- | --- |\n",
          out);
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
        fprintf(out, "| `%s` | ", at_field_type_name(TYPES[i].type));
        cell(out, TYPES[i].written);
        fputs(" | ", out);
        code_cell(out, TYPES[i].example);
        fputs(" |\n", out);
    }
    fputs("\n", out);
}

static void write_order(FILE *out)
{
    fputs("## Import order\n"
          "\n"
          "Files are imported in this order, each after the files it refers to. Currencies are\n"
          "built in (ISO 4217) and need no file.\n"
          "\n",
          out);
    for (size_t i = 0; i < at_entity_count; i++)
        fprintf(out, "%zu. [%s](#%s) - %s\n", i + 1, at_entities[i]->file,
                at_entities[i]->name, at_entities[i]->summary);
    fputs("\n", out);
}

static void write_entity(FILE *out, const at_entity *e)
{
    /* an explicit anchor: "people.csv" headings would otherwise get the id "peoplecsv" */
    fprintf(out, "<a id=\"%s\"></a>\n\n## %s\n\n%s\n\n", e->name, e->file, e->summary);
    fputs("Key: ", out);
    for (size_t k = 0; e->key[k]; k++)
        fprintf(out, "%s`%s`", k ? ", " : "", e->key[k]);
    fputs(e->key[1] ? " (together).\n\n" : ".\n\n", out);
    fputs("| column | type | required | example | meaning |\n"
          "| --- | --- | --- | --- | --- |\n",
          out);
    for (size_t i = 0; i < e->field_count; i++) {
        const at_field *f = &e->fields[i];
        char type[1024];
        at_field_type_label(f, type, sizeof type);
        fprintf(out, "| `%s` | ", f->name);
        code_cell(out, type);
        fprintf(out, " | %s | ", f->required ? "yes" : "");
        code_cell(out, f->example);
        fputs(" | ", out);
        cell(out, f->description);
        fputs(" |\n", out);
    }
    fputs("\n", out);
    if (e->rule_text && e->rule_text[0]) {
        fputs("Rules:\n\n", out);
        for (size_t r = 0; e->rule_text[r]; r++)
            fprintf(out, "- %s\n", e->rule_text[r]);
        fputs("\n", out);
    }
}

at_code at_import_doc_render(at_arena *arena, at_str *out, at_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the import guide");
    write_intro(f);
    write_types(f);
    write_order(f);
    for (size_t i = 0; i < at_entity_count; i++)
        write_entity(f, at_entities[i]);
    bool failed = ferror(f) != 0;
    if (fclose(f) != 0)
        failed = true;
    char *copy = failed || !text ? NULL : at_arena_strndup(arena, text, len);
    free(text);
    if (!copy)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the import guide");
    /* one trailing newline, not two */
    while (len >= 2 && copy[len - 1] == '\n' && copy[len - 2] == '\n')
        copy[--len] = '\0';
    *out = at_str_make(copy, len);
    return AT_OK;
}

at_code at_import_doc_write(const char *path, at_error *err)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_str doc;
    at_code c = at_import_doc_render(&arena, &doc, err);
    if (c == AT_OK) {
        FILE *f = fopen(path, "wb");
        if (!f) {
            c = at_fail_errno(err, AT_ERR_IO, path, "open for writing");
        } else {
            bool ok = fwrite(doc.ptr, 1, doc.len, f) == doc.len;
            if (fclose(f) != 0)
                ok = false;
            if (!ok)
                c = at_fail_errno(err, AT_ERR_IO, path, "write");
        }
    }
    at_arena_free(&arena);
    return c;
}
