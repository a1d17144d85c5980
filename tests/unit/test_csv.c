/* test_csv.c - the CSV reader and writer: the corpus in tests/data/csv read through every
 * source and many chunk sizes (so records straddle refills), every malformed case with its
 * exact place and message, header lookup, places for messages, the maximum record size, the
 * writer's quoting and I/O errors, and a random write-then-read round trip.
 * Expected values are written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/utf8.h"

/* ---------------------------------------------------------------- helpers */

static const char *source_dir(void)
{
    const char *d = getenv("ATTAIN_SOURCE_DIR");
    return d ? d : ".";
}

static void data_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/tests/data/csv/%s", source_dir(), name);
}

/* A growable text, for dumps and captured output. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void text_addf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_addf(text *t, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    text_add(t, buf, (size_t)n);
}

/* Reads every record into "line:[f1][f2]...\n"; on an error appends "! where: message\n" and
 * keeps going while the reader allows: an error repeated at once (a fatal one) gives
 * "! again\n" and ends the dump. */
static char *dump(at_csv_reader *r)
{
    text t = {0};
    text_add(&t, "", 0);
    const at_csv_record *rec;
    at_error err;
    at_error last = {0};
    for (;;) {
        at_code code = at_csv_next(r, &rec, &err);
        if (code != AT_OK) {
            if (strcmp(err.where, last.where) == 0 && strcmp(err.message, last.message) == 0) {
                text_add(&t, "! again\n", 8);
                break;
            }
            text_addf(&t, "! %s: %s\n", err.where, err.message);
            last = err;
            continue;
        }
        last.where[0] = '\0';
        if (!rec)
            break;
        text_addf(&t, "%llu:", (unsigned long long)rec->line);
        for (size_t i = 0; i < rec->count; i++) {
            text_add(&t, "[", 1);
            text_add(&t, rec->fields[i].ptr, rec->fields[i].len);
            text_add(&t, "]", 1);
        }
        text_add(&t, "\n", 1);
    }
    return t.s;
}

static char *read_file_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    text t = {0};
    char buf[4096];
    size_t n;
    text_add(&t, "", 0);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        text_add(&t, buf, n);
    fclose(f);
    *len = t.len;
    return t.s;
}

enum source { FROM_PATH, FROM_FD, FROM_FILE, FROM_MEMORY, SOURCES };

/* Dumps a corpus file read from the given source with the given chunk size. */
static char *dump_file(const char *name, enum source how, size_t chunk, char delimiter)
{
    char path[1024];
    data_path(path, sizeof path, name);
    at_csv_options opts = {.chunk_size = chunk, .delimiter = delimiter};
    at_csv_reader *r = NULL;
    at_error err;
    int fd = -1;
    FILE *fp = NULL;
    char *mem = NULL;
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    switch (how) {
    case FROM_PATH:
        assert_int_equal(at_csv_open(&r, path, &opts, &err), AT_OK);
        break;
    case FROM_FD:
        fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        assert_int_equal(at_csv_open_fd(&r, fd, base, &opts, &err), AT_OK);
        break;
    case FROM_FILE:
        fp = fopen(path, "rb");
        assert_non_null(fp);
        assert_int_equal(at_csv_open_file(&r, fp, base, &opts, &err), AT_OK);
        break;
    default: {
        size_t len;
        mem = read_file_all(path, &len);
        assert_int_equal(at_csv_open_memory(&r, mem, len, base, &opts, &err), AT_OK);
        break;
    }
    }
    char *out = dump(r);
    at_csv_close(r);
    if (fd >= 0)
        close(fd);
    if (fp)
        fclose(fp);
    free(mem);
    return out;
}

static char *dump_memory(const char *data, size_t len, const at_csv_options *opts)
{
    at_csv_reader *r;
    at_error err;
    assert_int_equal(at_csv_open_memory(&r, data, len, "t.csv", opts, &err), AT_OK);
    char *out = dump(r);
    at_csv_close(r);
    return out;
}

#define DUMP_STR(literal, opts) dump_memory((literal), sizeof(literal) - 1, (opts))

/* Every source, chunk sizes 4..40 and the default: all must give the same dump. */
static void check_corpus_file(const char *name, char delimiter, const char *expected)
{
    static const size_t chunks[] = {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 23, 31, 40, 0};
    for (int how = 0; how < SOURCES; how++) {
        for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
            char *got = dump_file(name, (enum source)how, chunks[i], delimiter);
            if (strcmp(got, expected) != 0)
                fail_msg("%s (source %d, chunk %zu):\n got: %s\nwant: %s", name, how, chunks[i],
                         got, expected);
            free(got);
        }
    }
}

/* ---------------------------------------------------------------- the corpus */

static void corpus_simple(void **state)
{
    (void)state;
    check_corpus_file("simple.csv", 0, "1:[id][name][amount]\n2:[1][Ana][10.50]\n3:[2][Bo][7]\n");
}

static void corpus_crlf(void **state)
{
    (void)state;
    check_corpus_file("crlf.csv", 0, "1:[id][name]\n2:[1][Ana]\n3:[2][B\r\no]\n");
}

static void corpus_quoted(void **state)
{
    (void)state;
    check_corpus_file("quoted.csv", 0,
                      "1:[id][note]\n2:[1][a, b]\n3:[2][say \"hi\"]\n4:[3][two\nlines]\n"
                      "6:[4][]\n7:[5][\"]\n8:[6][x\"y\"z][end]\n");
}

static void corpus_bom(void **state)
{
    (void)state;
    check_corpus_file("bom.csv", 0, "1:[id][name]\n2:[1][Ana]\n");
}

static void corpus_no_final_newline(void **state)
{
    (void)state;
    check_corpus_file("no_final_newline.csv", 0, "1:[id][name]\n2:[1][Ana]\n3:[2][Bo]\n");
}

static void corpus_empty_fields(void **state)
{
    (void)state;
    check_corpus_file("empty_fields.csv", 0, "1:[][a][]\n2:[][][]\n3:[b][][c]\n4:[][x]\n5:[]\n");
}

static void corpus_unicode(void **state)
{
    (void)state;
    check_corpus_file("unicode.csv", 0,
                      "1:[name][city]\n2:[Jos\xC3\xA9][Z\xC3\xBCrich]\n"
                      "3:[\xC5\x81ukasz, Jr.][\xE6\x9D\xB1\xE4\xBA\xAC]\n"
                      "4:[\xF0\x9F\x98\x80][\xE2\x82\xAC" "5]\n");
}

static void corpus_blank_lines(void **state)
{
    (void)state;
    check_corpus_file("blank_lines.csv", 0, "3:[id]\n5:[1]\n7:[2]\n9:[3]\n");
}

static void corpus_lone_cr(void **state)
{
    (void)state;
    check_corpus_file("lone_cr.csv", 0, "1:[id][name]\n2:[1][Ana]\n3:[2][B\ro]\n");
}

static void corpus_spaces(void **state)
{
    (void)state;
    check_corpus_file("spaces.csv", 0, "1:[id][ name ][amount]\n2:[ 1 ][ Ana ][  ]\n");
}

static void corpus_semicolon(void **state)
{
    (void)state;
    check_corpus_file("semicolon.csv", ';', "1:[id][amount]\n2:[1][10,50]\n");
}

static void edge_cases_in_memory(void **state)
{
    (void)state;
    char *got;
    got = DUMP_STR("", NULL);
    assert_string_equal(got, "");
    free(got);
    got = DUMP_STR("\n\r\n\r", NULL);
    assert_string_equal(got, "");
    free(got);
    got = DUMP_STR("a", NULL);
    assert_string_equal(got, "1:[a]\n");
    free(got);
    got = DUMP_STR("a,", NULL); /* a last empty field at the end of the data */
    assert_string_equal(got, "1:[a][]\n");
    free(got);
    got = DUMP_STR("\"\"", NULL);
    assert_string_equal(got, "1:[]\n");
    free(got);
    got = DUMP_STR("\"a\"\r", NULL);
    assert_string_equal(got, "1:[a]\n");
    free(got);
    got = DUMP_STR("\xEF\xBB\xBF", NULL); /* only a byte order mark */
    assert_string_equal(got, "");
    free(got);
    got = DUMP_STR("\xEF\xBB", NULL); /* the start of one is not dropped, and is bad UTF-8 */
    assert_string_equal(got, "! t.csv:1:1: invalid UTF-8: the sequence starting with byte 0xEF "
                             "is cut short by the end of the data\n");
    free(got);
    got = DUMP_STR("a\tb,\x01\x7f", NULL); /* control bytes other than CR, LF, NUL are data */
    assert_string_equal(got, "1:[a\tb][\x01\x7f]\n");
    free(got);
    got = DUMP_STR("x\n\xEF\xBB\xBFy\n", NULL); /* a BOM after the start is data */
    assert_string_equal(got, "1:[x]\n2:[\xEF\xBB\xBFy]\n");
    free(got);
    /* a long field of plain bytes crosses many 64-byte scan blocks */
    char big[300];
    memset(big, 'q', sizeof big);
    big[0] = '"';
    big[150] = ',';
    big[298] = '"';
    big[299] = '\n';
    got = dump_memory(big, sizeof big, NULL);
    assert_int_equal(strlen(got), 2 + 1 + 297 + 1 + 1);
    assert_int_equal(got[152], ',');
    free(got);
}

static void all_utf8_lengths_and_limits_accepted(void **state)
{
    (void)state;
    /* U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF */
    const char ok[] = "\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF,\xEE\x80\x80,\xEF\xBF\xBF,"
                      "\xF0\x90\x80\x80,\xF4\x8F\xBF\xBF\n";
    for (size_t chunk = 4; chunk < 12; chunk++) {
        at_csv_options o = {.chunk_size = chunk};
        char *got = dump_memory(ok, sizeof ok - 1, &o);
        assert_string_equal(got, "1:[\xC2\x80][\xDF\xBF][\xE0\xA0\x80][\xED\x9F\xBF][\xEE\x80\x80]"
                                 "[\xEF\xBF\xBF][\xF0\x90\x80\x80][\xF4\x8F\xBF\xBF]\n");
        free(got);
    }
    size_t bad = 99;
    assert_int_equal(at_utf8_validate(ok, sizeof ok - 1, &bad), AT_UTF8_OK);
    assert_int_equal(at_utf8_validate("abcdefghij\xE0\x9F\x80", 13, &bad), AT_UTF8_OVERLONG);
    assert_int_equal(bad, 10);
    assert_int_equal(at_utf8_validate("abcdefgh\xF0\x8F\xBF\xBF", 12, &bad), AT_UTF8_OVERLONG);
    assert_int_equal(bad, 8);
    assert_int_equal(at_utf8_validate("\xC1\xBF", 2, &bad), AT_UTF8_OVERLONG);
    assert_int_equal(at_utf8_validate("\xED\xBF\xBF", 3, &bad), AT_UTF8_SURROGATE);
    assert_int_equal(at_utf8_validate("\xF4\x90\x80\x80", 4, &bad), AT_UTF8_TOO_LARGE);
    assert_int_equal(at_utf8_validate("x\xF0\x90\x80", 4, &bad), AT_UTF8_INCOMPLETE);
    assert_int_equal(bad, 1);
    assert_int_equal(at_utf8_validate("\xF0\x90\x80x", 4, &bad), AT_UTF8_CUT_SHORT);
    assert_int_equal(at_utf8_validate("\xBF", 1, &bad), AT_UTF8_STRAY_CONTINUATION);
    assert_int_equal(at_utf8_validate("\xFF", 1, &bad), AT_UTF8_NEVER_VALID);
    assert_int_equal(at_utf8_validate("", 0, NULL), AT_UTF8_OK);
}

/* ---------------------------------------------------------------- malformed input */

typedef struct bad_case {
    const char *file;
    const char *expected; /* the dump: records before, the error, what follows */
    const char *hint_start;
} bad_case;

static void malformed_files(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"bad/unterminated.csv",
         "1:[id][name]\n! unterminated.csv:2:3: the quoted field that opens here is never closed "
         "(the file ends inside it)\n! unterminated.csv:2:3: the quoted field that opens here is "
         "never closed (the file ends inside it)\n",
         "add the closing quote"},
        {"bad/quote_inside.csv",
         "1:[id][name]\n! quote_inside.csv:2:5: a quote (\") inside field 2, which does not "
         "start with a quote\n",
         "put the whole field in quotes"},
        {"bad/after_quote.csv",
         "1:[id][name]\n! after_quote.csv:2:7: 'c' after the closing quote of field 2\n",
         "a quoted field ends at its closing quote"},
        {"bad/space_after_quote.csv",
         "1:[id][name]\n! space_after_quote.csv:2:4: a space after the closing quote of field 1\n",
         "a quoted field ends"},
        {"bad/overlong.csv",
         "1:[id][name]\n! overlong.csv:2:5: invalid UTF-8: byte 0xC0 starts an overlong "
         "encoding\n",
         "save the file as UTF-8"},
        /* the bad byte is on line 3, inside a quoted field that opened on line 2; the reader
         * then skips the rest of line 3 and finds the end of the file */
        {"bad/surrogate.csv",
         "1:[id][name]\n! surrogate.csv:3:1: invalid UTF-8: bytes 0xED 0xA0 encode a UTF-16 "
         "surrogate\n",
         "save the file as UTF-8"},
        {"bad/truncated.csv",
         "1:[id][name]\n! truncated.csv:2:3: invalid UTF-8: the sequence starting with byte 0xE2 "
         "is cut short\n",
         "save the file as UTF-8"},
        {"bad/truncated_at_end.csv",
         "1:[id][name]\n! truncated_at_end.csv:2:3: invalid UTF-8: the sequence starting with "
         "byte 0xE2 is cut short by the end of the data\n",
         "save the file as UTF-8"},
        {"bad/stray_continuation.csv",
         "1:[id][name]\n! stray_continuation.csv:2:1: invalid UTF-8: byte 0x80 continues a "
         "character that never started\n",
         "save the file as UTF-8"},
        {"bad/never_valid.csv",
         "1:[id][name]\n! never_valid.csv:2:6: invalid UTF-8: byte 0xF5 never appears in UTF-8\n",
         "save the file as UTF-8"},
        {"bad/too_large.csv",
         "1:[id][name]\n! too_large.csv:2:3: invalid UTF-8: bytes 0xF4 0x90 encode a code point "
         "above U+10FFFF\n",
         "save the file as UTF-8"},
        {"bad/latin1.csv",
         "1:[id][name]\n! latin1.csv:2:6: invalid UTF-8: the sequence starting with byte 0xE9 is "
         "cut short\n",
         "save the file as UTF-8 (\"CSV UTF-8\"); it may be in Latin-1 or Windows-1252"},
        {"bad/nul.csv", "1:[id][name]\n! nul.csv:2:4: a NUL byte (0x00) in the data\n",
         "the file looks binary or UTF-16"},
        {"bad/utf16.csv",
         "! utf16.csv:1:1: the file is in UTF-16 (it starts with a UTF-16 byte order mark); only "
         "UTF-8 is read\n! utf16.csv:1:1: the file is in UTF-16 (it starts with a UTF-16 byte "
         "order mark); only UTF-8 is read\n",
         "save the file as \"CSV UTF-8\""},
    };
    /* two calls after an error: a fatal one repeats, a resumable one goes on */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (size_t chunk = 4; chunk <= 24; chunk += 5) {
            char path[1024];
            data_path(path, sizeof path, cases[i].file);
            size_t len;
            char *data = read_file_all(path, &len);
            at_csv_options o = {.chunk_size = chunk};
            at_csv_reader *r;
            at_error err;
            const char *base = strrchr(cases[i].file, '/') + 1;
            assert_int_equal(at_csv_open_memory(&r, data, len, base, &o, &err), AT_OK);
            text t = {0};
            text_add(&t, "", 0);
            const at_csv_record *rec;
            int errors = 0;
            bool hint_seen = false;
            for (;;) {
                at_code code = at_csv_next(r, &rec, &err);
                if (code != AT_OK) {
                    assert_int_equal(code, AT_ERR_INVALID);
                    text_addf(&t, "! %s: %s\n", err.where, err.message);
                    hint_seen = strncmp(err.hint, cases[i].hint_start,
                                        strlen(cases[i].hint_start)) == 0;
                    if (!hint_seen)
                        fail_msg("%s: hint '%s'", cases[i].file, err.hint);
                    if (++errors == 2)
                        break;
                    continue;
                }
                if (!rec)
                    break;
                text_addf(&t, "%llu:", (unsigned long long)rec->line);
                for (size_t f = 0; f < rec->count; f++) {
                    text_add(&t, "[", 1);
                    text_add(&t, rec->fields[f].ptr, rec->fields[f].len);
                    text_add(&t, "]", 1);
                }
                text_add(&t, "\n", 1);
            }
            if (strcmp(t.s, cases[i].expected) != 0)
                fail_msg("%s (chunk %zu):\n got: %s\nwant: %s", cases[i].file, chunk, t.s,
                         cases[i].expected);
            assert_true(hint_seen);
            free(t.s);
            at_csv_close(r);
            free(data);
        }
    }
}

static void reading_resumes_at_the_next_line(void **state)
{
    (void)state;
    const char in[] = "a\n1,x\"y\n2,ok\n3,\"bad\"x\n4,fine\n5,\"x\n\xFF\nmore\"\n6,y\n7,\"ok\"";
    for (size_t chunk = 4; chunk < 20; chunk++) {
        at_csv_options o = {.chunk_size = chunk};
        char *got = dump_memory(in, sizeof in - 1, &o);
        assert_string_equal(got,
                            "1:[a]\n"
                            "! t.csv:2:4: a quote (\") inside field 2, which does not start with "
                            "a quote\n"
                            "3:[2][ok]\n"
                            "! t.csv:4:8: 'x' after the closing quote of field 2\n"
                            "5:[4][fine]\n"
                            "! t.csv:7:1: invalid UTF-8: byte 0xFF never appears in UTF-8\n"
                            /* the rest of the broken field reads as a line of its own */
                            "! t.csv:8:5: a quote (\") inside field 1, which does not start with "
                            "a quote\n"
                            "9:[6][y]\n10:[7][ok]\n");
        free(got);
    }
}

static void max_record_size_is_exact(void **state)
{
    (void)state;
    for (size_t chunk = 4; chunk <= 24; chunk++) {
        at_csv_options o = {.chunk_size = chunk, .max_record_size = 10};
        char *got = DUMP_STR("0123456789\r\n01234,6789\n\"12345678\"\n01\"\"4", &o);
        assert_string_equal(got, "1:[0123456789]\n2:[01234][6789]\n3:[12345678]\n"
                                 "! t.csv:4:3: a quote (\") inside field 1, which does not start "
                                 "with a quote\n");
        free(got);
        got = DUMP_STR("ok\n0123456789A\nnever read\n", &o);
        assert_string_equal(got, "1:[ok]\n! t.csv:2:1: the record is longer than the maximum of "
                                 "10 bytes\n! again\n");
        free(got);
    }
    /* a quote that never closes: with the data still coming, the limit stops it */
    char runaway[4000];
    memset(runaway, 'x', sizeof runaway);
    memcpy(runaway, "id\nok,\"", 7);
    for (size_t chunk = 4; chunk <= 64; chunk += 20) {
        at_csv_options o = {.chunk_size = chunk, .max_record_size = 100};
        at_csv_reader *r;
        at_error err;
        const at_csv_record *rec;
        assert_int_equal(at_csv_open_memory(&r, runaway, sizeof runaway, "t.csv", &o, &err),
                         AT_OK);
        assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
        assert_non_null(rec);
        assert_int_equal(at_csv_next(r, &rec, &err), AT_ERR_INVALID);
        assert_null(rec);
        assert_string_equal(err.where, "t.csv:2:1");
        assert_string_equal(err.message, "the record is longer than the maximum of 100 bytes "
                                         "(the quoted field that opens at line 2, column 4 is "
                                         "still open)");
        assert_string_equal(err.hint, "check for a quote that is never closed, or raise the "
                                      "maximum record size");
        /* fewer bytes read than the file holds: it stopped early */
        assert_true(at_csv_bytes_read(r) < sizeof runaway);
        at_csv_close(r);
    }
    /* with the whole file in one chunk the more precise message wins */
    char *got = dump_memory(runaway, 200, NULL);
    assert_string_equal(got, "1:[id]\n! t.csv:2:4: the quoted field that opens here is never "
                             "closed (the file ends inside it)\n! again\n");
    free(got);
}

static void big_records_grow_the_buffer(void **state)
{
    (void)state;
    /* one 100 kB record read 4 bytes at a time, then a small one */
    size_t n = 100000;
    char *in = malloc(n + 16);
    assert_non_null(in);
    in[0] = '"';
    for (size_t i = 1; i < n - 1; i++)
        in[i] = (char)('a' + i % 26);
    in[500] = '"';
    in[501] = '"'; /* one escaped quote */
    in[n - 1] = '"';
    memcpy(in + n, ",z\nnext\n", 8);
    at_csv_options o = {.chunk_size = 4};
    at_csv_reader *r;
    at_error err;
    const at_csv_record *rec;
    assert_int_equal(at_csv_open_memory(&r, in, n + 8, "t.csv", &o, &err), AT_OK);
    assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
    assert_non_null(rec);
    assert_int_equal(rec->count, 2);
    assert_int_equal(rec->fields[0].len, n - 3);
    assert_int_equal(rec->fields[0].ptr[499], '"');
    assert_int_equal(rec->fields[0].ptr[500], 'a' + 502 % 26);
    assert_true(at_str_eq_cstr(rec->fields[1], "z"));
    assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
    assert_true(at_str_eq_cstr(rec->fields[0], "next"));
    assert_int_equal(rec->line, 2);
    assert_int_equal(rec->number, 2);
    assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
    assert_null(rec);
    assert_int_equal(at_csv_bytes_read(r), n + 8);
    at_csv_close(r);
    free(in);
}

static void many_fields(void **state)
{
    (void)state;
    text t = {0};
    for (int i = 0; i < 1000; i++)
        text_addf(&t, i ? ",%d" : "%d", i);
    at_csv_reader *r;
    at_error err;
    const at_csv_record *rec;
    assert_int_equal(at_csv_open_memory(&r, t.s, t.len, "t.csv", NULL, &err), AT_OK);
    assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
    assert_int_equal(rec->count, 1000);
    assert_true(at_str_eq_cstr(rec->fields[999], "999"));
    uint64_t line, col;
    at_csv_field_place(r, 999, &line, &col);
    assert_int_equal(col, 10 * 2 + 90 * 3 + 899 * 4 + 1); /* the commas counted in */
    at_csv_close(r);
    free(t.s);
}

/* ---------------------------------------------------------------- places, header */

static void places_for_messages(void **state)
{
    (void)state;
    const char in[] = "\xEF\xBB\xBFid,note,amount\n1,\"a\nb\",7.5\n";
    for (int with_header = 0; with_header < 2; with_header++) {
        at_csv_reader *r;
        at_error err;
        const at_csv_record *rec;
        at_csv_options o = {.chunk_size = 5};
        assert_int_equal(at_csv_open_memory(&r, in, sizeof in - 1, "t.csv", &o, &err), AT_OK);
        if (with_header)
            assert_int_equal(at_csv_read_header(r, &err), AT_OK);
        else
            assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
        assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
        assert_int_equal(rec->line, 2);
        assert_int_equal(rec->number, 2);
        uint64_t line, col;
        at_csv_field_place(r, 0, &line, &col);
        assert_int_equal(line, 2);
        assert_int_equal(col, 1);
        at_csv_field_place(r, 1, &line, &col);
        assert_int_equal(line, 2);
        assert_int_equal(col, 3);
        at_csv_field_place(r, 2, &line, &col);
        assert_int_equal(line, 3);
        assert_int_equal(col, 4);
        char where[128];
        at_csv_where(r, 2, where, sizeof where);
        assert_string_equal(where, with_header ? "t.csv:3:4 (column amount)"
                                               : "t.csv:3:4 (field 3)");
        at_csv_where(r, 3, where, sizeof where);
        assert_string_equal(where, "t.csv:2");
        assert_int_equal(at_csv_fail(r, 2, &err, AT_ERR_INVALID, "write it with two decimals",
                                     "bad amount '%s'", "7.5"),
                         AT_ERR_INVALID);
        assert_string_equal(err.where, with_header ? "t.csv:3:4 (column amount)"
                                                   : "t.csv:3:4 (field 3)");
        assert_string_equal(err.message, "bad amount '7.5'");
        assert_string_equal(err.hint, "write it with two decimals");
        assert_string_equal(at_csv_name(r), "t.csv");
        assert_int_equal(at_csv_bytes_read(r), sizeof in - 1);
        at_csv_close(r);
    }
}

static at_csv_reader *open_with_header(const char *in, at_code want)
{
    at_csv_reader *r;
    at_error err;
    assert_int_equal(at_csv_open_memory(&r, in, strlen(in), "t.csv", NULL, &err), AT_OK);
    assert_int_equal(at_csv_read_header(r, &err), want);
    return r;
}

static void header_lookup(void **state)
{
    (void)state;
    at_csv_reader *r = open_with_header("ID, Name ,Amount,amount\n1,Ana,2,3\n", AT_OK);
    at_error err;
    size_t i = 99;
    assert_int_equal(at_csv_header_count(r), 4);
    assert_true(at_str_eq_cstr(at_csv_header_name(r, 1), " Name "));
    assert_int_equal(at_csv_header_name(r, 4).len, 0);
    assert_int_equal(at_csv_column(r, "Amount", &i, &err), AT_OK);
    assert_int_equal(i, 2);
    assert_int_equal(at_csv_column(r, "amount", &i, &err), AT_OK);
    assert_int_equal(i, 3);
    assert_int_equal(at_csv_column(r, "name", &i, &err), AT_OK);
    assert_int_equal(i, 1);
    assert_int_equal(at_csv_column(r, " id\t", &i, &err), AT_OK);
    assert_int_equal(i, 0);
    assert_int_equal(at_csv_column(r, "AMOUNT", &i, &err), AT_ERR_CONFLICT);
    assert_string_equal(err.where, "t.csv:1");
    assert_string_equal(err.message, "the column name 'AMOUNT' matches both 'Amount' (field 3) "
                                     "and 'amount' (field 4)");
    assert_int_equal(at_csv_column(r, "region", &i, &err), AT_ERR_NOT_FOUND);
    assert_string_equal(err.message, "there is no column named 'region'");
    assert_string_equal(err.hint, "the header has: ID,  Name , Amount, amount");
    assert_int_equal(at_csv_column(r, "region", &i, NULL), AT_ERR_NOT_FOUND);
    /* the records follow the header */
    const at_csv_record *rec;
    assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
    assert_int_equal(rec->line, 2);
    assert_true(at_str_eq_cstr(rec->fields[1], "Ana"));
    /* the header cannot be read twice */
    assert_int_equal(at_csv_read_header(r, &err), AT_ERR_INTERNAL);
    at_csv_close(r);
}

static void header_duplicates_and_empty(void **state)
{
    (void)state;
    at_error err;
    at_csv_reader *r;
    assert_int_equal(at_csv_open_memory(&r, "id,amount,name,amount\n", 22, "t.csv", NULL, &err),
                     AT_OK);
    assert_int_equal(at_csv_read_header(r, &err), AT_ERR_INVALID);
    assert_string_equal(err.where, "t.csv:1:16");
    assert_string_equal(err.message, "the column name 'amount' appears twice (fields 2 and 4)");
    assert_string_equal(err.hint, "rename one of the columns so that every name is different");
    assert_int_equal(at_csv_header_count(r), 4); /* kept even so */
    at_csv_close(r);

    r = open_with_header("a,,b,\n", AT_OK); /* empty names may repeat */
    assert_int_equal(at_csv_header_count(r), 4);
    at_csv_close(r);

    assert_int_equal(at_csv_open_memory(&r, "\n\n", 2, "t.csv", NULL, &err), AT_OK);
    assert_int_equal(at_csv_read_header(r, &err), AT_ERR_INVALID);
    assert_string_equal(err.where, "t.csv");
    assert_string_equal(err.message, "the file is empty: there is no header line");
    at_csv_close(r);

    /* a header after records is a bug in the caller */
    const at_csv_record *rec;
    assert_int_equal(at_csv_open_memory(&r, "a\nb\n", 4, "t.csv", NULL, &err), AT_OK);
    assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
    assert_int_equal(at_csv_read_header(r, &err), AT_ERR_INTERNAL);
    size_t i;
    assert_int_equal(at_csv_column(r, "a", &i, &err), AT_ERR_NOT_FOUND);
    assert_string_equal(err.hint, "read the header first");
    at_csv_close(r);

    /* a malformed header passes its error on */
    assert_int_equal(at_csv_open_memory(&r, "a,b\"\n", 5, "t.csv", NULL, &err), AT_OK);
    assert_int_equal(at_csv_read_header(r, &err), AT_ERR_INVALID);
    assert_string_equal(err.where, "t.csv:1:4");
    at_csv_close(r);
}

static void opening_errors(void **state)
{
    (void)state;
    at_csv_reader *r = (at_csv_reader *)1;
    at_error err;
    assert_int_equal(at_csv_open(&r, "/nonexistent/deals.csv", NULL, &err), AT_ERR_IO);
    assert_null(r);
    assert_string_equal(err.where, "/nonexistent/deals.csv");
    assert_string_equal(err.message, "cannot open the CSV file: No such file or directory");
    at_csv_options o = {.delimiter = '"'};
    assert_int_equal(at_csv_open_memory(&r, "", 0, "t.csv", &o, &err), AT_ERR_USAGE);
    assert_string_equal(err.message, "the CSV delimiter cannot be byte 0x22");
    o.delimiter = '\n';
    assert_int_equal(at_csv_open_memory(&r, "", 0, "t.csv", &o, &err), AT_ERR_USAGE);
    o.delimiter = 0;
    o.max_record_size = AT_CSV_MAX_RECORD_LIMIT + 1;
    assert_int_equal(at_csv_open_memory(&r, "", 0, "t.csv", &o, &err), AT_ERR_USAGE);
    assert_string_equal(err.hint, "use at most 2 GiB");
    o.max_record_size = AT_CSV_MAX_RECORD_LIMIT;
    o.chunk_size = AT_CSV_MAX_RECORD_LIMIT + 1;
    assert_int_equal(at_csv_open_memory(&r, "", 0, "t.csv", &o, &err), AT_ERR_USAGE);
    assert_string_equal(err.message, "the CSV chunk size 2147483649 is too large");
    at_csv_close(NULL);

    /* a read error: a directory opens but cannot be read */
    assert_int_equal(at_csv_open(&r, "/", NULL, &err), AT_OK);
    const at_csv_record *rec;
    assert_int_equal(at_csv_next(r, &rec, &err), AT_ERR_IO);
    assert_string_equal(err.where, "/");
    assert_string_equal(err.message, "cannot read the CSV file: Is a directory");
    assert_int_equal(at_csv_next(r, &rec, &err), AT_ERR_IO); /* and it stays failed */
    at_csv_close(r);
}

/* ---------------------------------------------------------------- the writer */

typedef struct capture {
    char *buf;
    size_t len;
    FILE *fp;
    at_csv_writer *w;
} capture;

static void capture_open(capture *c, const at_csv_writer_options *opts)
{
    c->buf = NULL;
    c->len = 0;
    c->fp = open_memstream(&c->buf, &c->len);
    assert_non_null(c->fp);
    at_error err;
    assert_int_equal(at_csv_writer_open_file(&c->w, c->fp, "mem.csv", opts, &err), AT_OK);
}

/* Closes the writer and the stream; the text is in c->buf (freed by the caller). */
static void capture_close(capture *c)
{
    at_error err;
    assert_int_equal(at_csv_writer_close(c->w, &err), AT_OK);
    fclose(c->fp);
}

static void writer_quotes_only_when_needed(void **state)
{
    (void)state;
    capture c;
    capture_open(&c, NULL);
    const char *fields[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\rx", " lead",
                            "trail ", "\ttab", "", ("\xEF\xBB\xBF" "bom"), "Z\xC3\xBCrich",
                            "in side"};
    at_error err;
    assert_int_equal(at_csv_write_cstrs(c.w, fields, 12, &err), AT_OK);
    assert_int_equal(at_csv_write_cstrs(c.w, (const char *[]){""}, 1, &err), AT_OK);
    assert_int_equal(at_csv_write_cstrs(c.w, (const char *[]){"", ""}, 2, &err), AT_OK);
    assert_int_equal(at_csv_write_cstrs(c.w, (const char *[]){"", "x"}, 2, &err), AT_OK);
    at_str views[] = {AT_STR("1"), AT_STR("\"")};
    assert_int_equal(at_csv_write_record(c.w, views, 2, &err), AT_OK);
    assert_int_equal(at_csv_writer_bytes(c.w), 109);
    capture_close(&c);
    assert_string_equal(c.buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\","
                               "\" lead\",\"trail \",\"\ttab\",,\"\xEF\xBB\xBF"
                               "bom\",Z\xC3\xBCrich,in side\n"
                               "\"\"\n,\n,x\n1,\"\"\"\"\n");
    free(c.buf);
}

static void writer_numbers_and_crlf(void **state)
{
    (void)state;
    at_csv_writer_options o = {.crlf = true, .delimiter = ';'};
    capture c;
    capture_open(&c, &o);
    at_error err;
    assert_int_equal(at_csv_write_int64(c.w, 0, &err), AT_OK);
    assert_int_equal(at_csv_write_int64(c.w, -1, &err), AT_OK);
    assert_int_equal(at_csv_write_int64(c.w, INT64_MIN, &err), AT_OK);
    assert_int_equal(at_csv_write_int64(c.w, INT64_MAX, &err), AT_OK);
    assert_int_equal(at_csv_write_int64(c.w, 1234567890, &err), AT_OK);
    assert_int_equal(at_csv_end_record(c.w, &err), AT_OK);
    assert_int_equal(at_csv_write_number(c.w, "1234.50", 7, &err), AT_OK);
    assert_int_equal(at_csv_write_number(c.w, "1;5", 3, &err), AT_OK);
    assert_int_equal(at_csv_write_cstr(c.w, "a,b", &err), AT_OK);
    assert_int_equal(at_csv_end_record(c.w, &err), AT_OK);
    assert_int_equal(at_csv_writer_flush(c.w, &err), AT_OK);
    assert_int_equal(c.len, 77);
    capture_close(&c);
    assert_string_equal(c.buf, "0;-1;-9223372036854775808;9223372036854775807;1234567890\r\n"
                               "1234.50;\"1;5\";a,b\r\n");
    free(c.buf);
}

static void writer_refuses_what_csv_cannot_carry(void **state)
{
    (void)state;
    capture c;
    capture_open(&c, NULL);
    at_error err;
    assert_int_equal(at_csv_end_record(c.w, &err), AT_ERR_INVALID);
    assert_string_equal(err.message, "a CSV record cannot be empty");
    assert_int_equal(at_csv_write_cstr(c.w, "a", &err), AT_OK);
    assert_int_equal(at_csv_write_field(c.w, at_str_make("x\0y", 3), &err), AT_ERR_INVALID);
    assert_string_equal(err.where, "mem.csv");
    assert_string_equal(err.message, "a field to write holds a NUL byte, which CSV cannot carry");
    assert_int_equal(at_csv_write_cstr(c.w, "b", &err), AT_OK); /* nothing of it was written */
    assert_int_equal(at_csv_end_record(c.w, &err), AT_OK);
    at_csv_writer_options bad = {.delimiter = '\r'};
    at_csv_writer *w = (at_csv_writer *)1;
    assert_int_equal(at_csv_writer_open_file(&w, c.fp, "x", &bad, &err), AT_ERR_USAGE);
    assert_null(w);
    capture_close(&c);
    assert_string_equal(c.buf, "a,b\n");
    free(c.buf);
    assert_int_equal(at_csv_writer_close(NULL, &err), AT_OK);
}

static void writer_reports_a_full_disk(void **state)
{
    (void)state;
    at_csv_writer *w;
    at_error err;
    if (access("/dev/full", W_OK) != 0)
        skip();
    at_csv_writer_options o = {.buffer_size = 64};
    assert_int_equal(at_csv_writer_open(&w, "/dev/full", &o, &err), AT_OK);
    at_code code = AT_OK;
    for (int i = 0; i < 100 && code == AT_OK; i++)
        code = at_csv_write_cstr(w, "0123456789", &err);
    assert_int_equal(code, AT_ERR_IO);
    assert_string_equal(err.where, "/dev/full");
    assert_string_equal(err.message, "cannot write the CSV file: No space left on device");
    assert_string_equal(err.hint, "free some disk space and try again");
    at_error_clear(&err);
    assert_int_equal(at_csv_write_int64(w, 5, &err), AT_ERR_IO); /* it sticks */
    assert_string_equal(err.where, "/dev/full");
    assert_int_equal(at_csv_end_record(w, &err), AT_ERR_IO);
    at_error_clear(&err);
    assert_int_equal(at_csv_writer_close(w, &err), AT_ERR_IO);
    assert_string_equal(err.message, "cannot write the CSV file: No space left on device");

    /* a small write that only fails when closing */
    assert_int_equal(at_csv_writer_open(&w, "/dev/full", NULL, &err), AT_OK);
    assert_int_equal(at_csv_write_cstrs(w, (const char *[]){"a"}, 1, &err), AT_OK);
    assert_int_equal(at_csv_writer_close(w, &err), AT_ERR_IO);
    assert_string_equal(err.where, "/dev/full");

    assert_int_equal(at_csv_writer_open(&w, "/nonexistent/out.csv", NULL, &err), AT_ERR_IO);
    assert_string_equal(err.where, "/nonexistent/out.csv");
    assert_string_equal(err.message, "cannot create the CSV file: No such file or directory");
}

static void writer_fields_longer_than_the_buffer(void **state)
{
    (void)state;
    at_csv_writer_options o = {.buffer_size = 1}; /* raised to the minimum */
    capture c;
    capture_open(&c, &o);
    char big[1000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = i % 100 == 50 ? '"' : (char)('a' + i % 26);
    at_error err;
    assert_int_equal(at_csv_write_field(c.w, at_str_make(big, sizeof big), &err), AT_OK);
    assert_int_equal(at_csv_write_field(c.w, at_str_make(big + 1, 200), &err), AT_OK);
    assert_int_equal(at_csv_end_record(c.w, &err), AT_OK);
    capture_close(&c);
    assert_int_equal(c.len, 1 + 1000 + 10 + 1 + 1 + 1 + 200 + 2 + 1 + 1);
    at_csv_reader *r;
    const at_csv_record *rec;
    assert_int_equal(at_csv_open_memory(&r, c.buf, c.len, "x", NULL, &err), AT_OK);
    assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
    assert_int_equal(rec->count, 2);
    assert_true(at_str_eq(rec->fields[0], at_str_make(big, sizeof big)));
    assert_true(at_str_eq(rec->fields[1], at_str_make(big + 1, 200)));
    at_csv_close(r);
    free(c.buf);
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

#define RT_RECORDS 1500
#define RT_MAX_FIELDS 6

static void round_trip_random_records(void **state)
{
    (void)state;
    static const char *const pieces[] = {"a", ",", "\"", "\r", "\n", "\r\n", " ", "\t",
                                         "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                         "\xEF\xBB\xBF", "x", "", ";", "\"\"", "1234.50"};
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    uint64_t seed = 7;
    for (int pass = 0; pass < 4; pass++) {
        /* build the records */
        static char store[RT_RECORDS][RT_MAX_FIELDS][64];
        static size_t lens[RT_RECORDS][RT_MAX_FIELDS];
        size_t counts[RT_RECORDS];
        for (size_t i = 0; i < RT_RECORDS; i++) {
            counts[i] = 1 + rng_next(&seed) % RT_MAX_FIELDS;
            for (size_t f = 0; f < counts[i]; f++) {
                size_t n = 0, k = rng_next(&seed) % 9;
                for (size_t j = 0; j < k; j++) {
                    const char *p = pieces[rng_next(&seed) % npieces];
                    memcpy(store[i][f] + n, p, strlen(p));
                    n += strlen(p);
                }
                lens[i][f] = n;
            }
        }
        at_csv_writer_options wo = {.crlf = pass & 1, .buffer_size = pass < 2 ? 64 : 0,
                                    .delimiter = pass == 3 ? ';' : 0};
        capture c;
        capture_open(&c, &wo);
        at_error err;
        for (size_t i = 0; i < RT_RECORDS; i++) {
            at_str fs[RT_MAX_FIELDS];
            for (size_t f = 0; f < counts[i]; f++)
                fs[f] = at_str_make(store[i][f], lens[i][f]);
            assert_int_equal(at_csv_write_record(c.w, fs, counts[i], &err), AT_OK);
        }
        capture_close(&c);
        static const size_t chunks[] = {4, 7, 64, 0};
        for (size_t ci = 0; ci < 4; ci++) {
            at_csv_options ro = {.chunk_size = chunks[ci], .delimiter = wo.delimiter};
            at_csv_reader *r;
            const at_csv_record *rec;
            assert_int_equal(at_csv_open_memory(&r, c.buf, c.len, "rt.csv", &ro, &err), AT_OK);
            for (size_t i = 0; i < RT_RECORDS; i++) {
                at_code code = at_csv_next(r, &rec, &err);
                if (code != AT_OK)
                    fail_msg("record %zu: %s: %s", i, err.where, err.message);
                assert_non_null(rec);
                assert_int_equal(rec->count, counts[i]);
                for (size_t f = 0; f < counts[i]; f++)
                    if (!at_str_eq(rec->fields[f], at_str_make(store[i][f], lens[i][f])))
                        fail_msg("pass %d chunk %zu record %zu field %zu differs", pass,
                                 chunks[ci], i, f);
            }
            assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
            assert_null(rec);
            at_csv_close(r);
        }
        free(c.buf);
    }
}

static void round_trip_through_a_file(void **state)
{
    (void)state;
    const char *tmp = getenv("ATTAIN_TEST_TMP");
    char dir[900], path[1024];
    snprintf(dir, sizeof dir, "%s", tmp ? tmp : "/tmp");
    mkdir(dir, 0777); /* the test directory may not exist yet; its parent does under ctest */
    snprintf(path, sizeof path, "%s/test_csv_round_trip_%d.csv", dir, (int)getpid());
    at_error err;
    at_csv_writer *w;
    at_csv_writer_options o = {.crlf = true};
    if (at_csv_writer_open(&w, path, &o, &err) != AT_OK) {
        snprintf(path, sizeof path, "/tmp/test_csv_round_trip_%d.csv", (int)getpid());
        assert_int_equal(at_csv_writer_open(&w, path, &o, &err), AT_OK);
    }
    assert_int_equal(at_csv_write_cstrs(w, (const char *[]){"id", "amount"}, 2, &err), AT_OK);
    for (int i = 0; i < 3000; i++) {
        assert_int_equal(at_csv_write_int64(w, i, &err), AT_OK);
        assert_int_equal(at_csv_write_cstr(w, i % 2 ? "1,5" : "2.25", &err), AT_OK);
        assert_int_equal(at_csv_end_record(w, &err), AT_OK);
    }
    assert_int_equal(at_csv_writer_close(w, &err), AT_OK);
    at_csv_reader *r;
    const at_csv_record *rec;
    at_csv_options ro = {.chunk_size = 1000};
    assert_int_equal(at_csv_open(&r, path, &ro, &err), AT_OK);
    assert_int_equal(at_csv_read_header(r, &err), AT_OK);
    size_t amount;
    assert_int_equal(at_csv_column(r, "amount", &amount, &err), AT_OK);
    int n = 0;
    while (at_csv_next(r, &rec, &err) == AT_OK && rec) {
        char want[16];
        snprintf(want, sizeof want, "%d", n);
        assert_true(at_str_eq_cstr(rec->fields[0], want));
        assert_true(at_str_eq_cstr(rec->fields[amount], n % 2 ? "1,5" : "2.25"));
        assert_int_equal(rec->line, (uint64_t)n + 2);
        n++;
    }
    assert_int_equal(n, 3000);
    at_csv_close(r);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_simple),
        cmocka_unit_test(corpus_crlf),
        cmocka_unit_test(corpus_quoted),
        cmocka_unit_test(corpus_bom),
        cmocka_unit_test(corpus_no_final_newline),
        cmocka_unit_test(corpus_empty_fields),
        cmocka_unit_test(corpus_unicode),
        cmocka_unit_test(corpus_blank_lines),
        cmocka_unit_test(corpus_lone_cr),
        cmocka_unit_test(corpus_spaces),
        cmocka_unit_test(corpus_semicolon),
        cmocka_unit_test(edge_cases_in_memory),
        cmocka_unit_test(all_utf8_lengths_and_limits_accepted),
        cmocka_unit_test(malformed_files),
        cmocka_unit_test(reading_resumes_at_the_next_line),
        cmocka_unit_test(max_record_size_is_exact),
        cmocka_unit_test(big_records_grow_the_buffer),
        cmocka_unit_test(many_fields),
        cmocka_unit_test(places_for_messages),
        cmocka_unit_test(header_lookup),
        cmocka_unit_test(header_duplicates_and_empty),
        cmocka_unit_test(opening_errors),
        cmocka_unit_test(writer_quotes_only_when_needed),
        cmocka_unit_test(writer_numbers_and_crlf),
        cmocka_unit_test(writer_refuses_what_csv_cannot_carry),
        cmocka_unit_test(writer_reports_a_full_disk),
        cmocka_unit_test(writer_fields_longer_than_the_buffer),
        cmocka_unit_test(round_trip_random_records),
        cmocka_unit_test(round_trip_through_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
