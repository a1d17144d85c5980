/* test_import_doc.c - docs/import.md is what the descriptors say: the committed file must equal
 * the rendered one (when it does not, the test writes the new text under $ATTAIN_TEST_TMP and
 * prints the cp command that updates the document), and the rendering holds what a reader
 * needs: every file, column, key and rule, every type, table cells that do not break. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/str.h"
#include "model/entity.h"
#include "model/import_doc.h"

static at_arena arena;
static at_str doc;

static int setup(void **state)
{
    (void)state;
    at_arena_init(&arena, 0);
    at_error err;
    if (at_import_doc_render(&arena, &doc, &err) != AT_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    at_arena_free(&arena);
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static void make_dirs(const char *path)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0777);
            *s = '/';
        }
    mkdir(p, 0777);
}

static bool contains(const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= doc.len; i++)
        if (memcmp(doc.ptr + i, needle, n) == 0)
            return true;
    return false;
}

#define assert_doc_has(needle)                                                                  \
    do {                                                                                        \
        if (!contains(needle))                                                                  \
            fail_msg("docs/import.md lacks: %s", (needle));                                     \
    } while (0)

static void committed_doc_matches_descriptors(void **state)
{
    (void)state;
    const char *src = getenv("ATTAIN_SOURCE_DIR");
    const char *tmp = getenv("ATTAIN_TEST_TMP");
    if (!src || !tmp)
        fail_msg("run under ctest: ATTAIN_SOURCE_DIR and ATTAIN_TEST_TMP must be set");
    char committed_path[1024], fresh_path[1024];
    snprintf(committed_path, sizeof committed_path, "%s/docs/import.md", src);
    make_dirs(tmp);
    snprintf(fresh_path, sizeof fresh_path, "%s/import.md", tmp);
    size_t len = 0;
    char *committed = read_file(committed_path, &len);
    bool same = committed && len == doc.len && memcmp(committed, doc.ptr, len) == 0;
    if (!same) {
        size_t line = 1;
        for (size_t i = 0; committed && i < len && i < doc.len && committed[i] == doc.ptr[i]; i++)
            if (doc.ptr[i] == '\n')
                line++;
        FILE *f = fopen(fresh_path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(doc.ptr, 1, doc.len, f), doc.len);
        fclose(f);
        free(committed);
        if (committed)
            fail_msg("docs/import.md is out of date with the entity descriptors (first "
                     "difference at line %zu): a descriptor changed without regenerating it.\n"
                     "Update it with:\n    cp %s %s\n",
                     line, fresh_path, committed_path);
        else
            fail_msg("docs/import.md does not exist. Create it with:\n    cp %s %s\n",
                     fresh_path, committed_path);
    }
    free(committed);
}

static void every_file_column_key_and_rule_is_there(void **state)
{
    (void)state;
    char line[2048];
    for (size_t i = 0; i < at_entity_count; i++) {
        const at_entity *e = at_entities[i];
        snprintf(line, sizeof line, "\n## %s\n\n%s\n", e->file, e->summary);
        assert_doc_has(line);
        snprintf(line, sizeof line, "<a id=\"%s\"></a>", e->name);
        assert_doc_has(line);
        snprintf(line, sizeof line, "%zu. [%s](#%s) - ", i + 1, e->file, e->name);
        assert_doc_has(line);
        for (size_t f = 0; f < e->field_count; f++) {
            snprintf(line, sizeof line, "\n| `%s` | `", e->fields[f].name);
            assert_doc_has(line);
        }
        for (size_t r = 0; e->rule_text && e->rule_text[r]; r++) {
            snprintf(line, sizeof line, "\n- %s\n", e->rule_text[r]);
            assert_doc_has(line);
        }
    }
}

static void rows_look_right(void **state)
{
    (void)state;
    /* worked out by hand from the spec */
    assert_doc_has("| `id` | `id` | yes | `P-1001` | The person's id in the source system (HR or "
                   "CRM). |\n");
    assert_doc_has("| `country` | `text(2)` |  | `US` | Country of work, ISO 3166 alpha-2. |\n");
    assert_doc_has("| `status` | `enum(open\\|won\\|lost)` | yes | `open` |");
    assert_doc_has("| `value` | `text` | yes | `CA\\|OR\\|WA` |");
    assert_doc_has("| `rate` | `rate (> 0)` | yes | `1.0842` |");
    assert_doc_has("| `latitude` | `coord[-90..90]` |  | `37.338207` |");
    assert_doc_has("| `quantity` | `int[1..]` | yes | `10` |");
    assert_doc_has("Key: `from_currency`, `to_currency`, `effective_date` (together).\n");
    assert_doc_has("Key: `id`.\n");
    assert_doc_has("\n1. [settings.csv](#settings) - ");
    assert_doc_has("\n28. [survey_responses.csv](#survey_responses) - ");
}

static void every_type_is_explained(void **state)
{
    (void)state;
    static const char *const types[] = {"id",   "ref",  "text", "email",    "enum",
                                        "int",  "money", "rate", "day",     "time",
                                        "bool", "currency", "coord", "period"};
    char line[64];
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        snprintf(line, sizeof line, "\n| `%s` | ", types[i]);
        assert_doc_has(line);
    }
    assert_doc_has("## How an import works");
    assert_doc_has("**All or nothing.**");
    assert_doc_has("**Keys and updates (upsert).**");
    assert_doc_has("## Import order");
}

static void document_is_tidy(void **state)
{
    (void)state;
    assert_true(doc.len > 1000);
    assert_int_equal(doc.ptr[doc.len - 1], '\n');
    assert_true(doc.ptr[doc.len - 2] != '\n');
    assert_int_equal(strlen(doc.ptr), doc.len); /* NUL-terminated, no NUL inside */
    /* every table row has as many cells as its header: count unescaped pipes per line */
    size_t start = 0, expected = 0;
    for (size_t i = 0; i < doc.len; i++) {
        if (doc.ptr[i] != '\n')
            continue;
        at_str l = at_str_make(doc.ptr + start, i - start);
        start = i + 1;
        if (l.len == 0 || l.ptr[0] != '|') {
            expected = 0;
            continue;
        }
        size_t pipes = 0;
        for (size_t k = 0; k < l.len; k++)
            if (l.ptr[k] == '|' && (k == 0 || l.ptr[k - 1] != '\\'))
                pipes++;
        if (!expected)
            expected = pipes;
        else if (pipes != expected)
            fail_msg("table row with %zu cell borders, header has %zu: %.*s", pipes, expected,
                     (int)l.len, l.ptr);
    }
}

static void write_to_file_and_fail_on_bad_path(void **state)
{
    (void)state;
    const char *tmp = getenv("ATTAIN_TEST_TMP");
    char path[1024];
    snprintf(path, sizeof path, "%s/written.md", tmp ? tmp : "/tmp");
    make_dirs(tmp ? tmp : "/tmp");
    at_error err;
    assert_int_equal(at_import_doc_write(path, &err), AT_OK);
    size_t len = 0;
    char *text = read_file(path, &len);
    assert_non_null(text);
    assert_int_equal(len, doc.len);
    assert_memory_equal(text, doc.ptr, len);
    free(text);
    remove(path);
    assert_int_equal(at_import_doc_write("/nonexistent-dir/x/import.md", &err), AT_ERR_IO);
    assert_non_null(strstr(err.where, "/nonexistent-dir/x/import.md"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(committed_doc_matches_descriptors),
        cmocka_unit_test(every_file_column_key_and_rule_is_there),
        cmocka_unit_test(rows_look_right),
        cmocka_unit_test(every_type_is_explained),
        cmocka_unit_test(document_is_tidy),
        cmocka_unit_test(write_to_file_and_fail_on_bad_path),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
