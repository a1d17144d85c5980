/* csv_reader.c - the streaming CSV reader: buffer and refills, the record parser with its
 * 64-byte scanner, positions for messages, and the header (see csv.h for the dialect). */
#include "core/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/utf8.h"

/* SSE2 is in every x86-64; elsewhere (or with -DATTAIN_CSV_PORTABLE, to test it) a table
 * classifies the bytes one by one. */
#if defined(__SSE2__) && !defined(ATTAIN_CSV_PORTABLE)
#include <emmintrin.h>
#define CSV_USE_SSE2 1
#endif

#define SCAN_BLOCK 64    /* bytes classified at once */
#define BUFFER_PAD 64    /* readable bytes past the buffer's end, so a block never overruns */
#define MIN_CHUNK 4      /* room for a byte order mark check */
#define FIRST_FIELDS 16

enum source_kind { SOURCE_FD, SOURCE_FILE, SOURCE_MEMORY };

/* Where a field starts, relative to its record: line breaks before it inside the record, and
 * its byte column on that line. Records are under 2 GiB, so 32 bits hold both. */
typedef struct field_place {
    uint32_t line_delta;
    uint32_t column;
} field_place;

/* The mask of interesting bytes for up to 64 bytes starting at base; bit i is base[i].
 * Invariant while a record is parsed: the cursor never moves before base. */
typedef struct scanner {
    const unsigned char *base;
    size_t span; /* bytes the mask covers (0 = nothing yet) */
    uint64_t bits;
} scanner;

struct at_csv_reader {
    enum source_kind kind;
    int fd;
    bool own_fd;
    FILE *fp;
    const unsigned char *mem;
    size_t mem_len, mem_off;
    char *name;

    unsigned char *buf;
    size_t cap;      /* usable bytes; BUFFER_PAD more are allocated */
    size_t len;      /* bytes of data in buf */
    size_t pos;      /* start of the next record */
    bool eof;        /* the source has nothing more */
    size_t chunk, max_record;
    unsigned char delim;
    uint64_t consumed; /* bytes dropped from the front of buf so far */
    uint64_t line;     /* the line buf[pos] is on */
    bool started, after_cr, resync;
    uint64_t records;

    at_code sticky; /* a failure that every later call repeats */
    at_error sticky_err;

    at_str *fields;
    field_place *places;
    size_t fields_cap;
    at_csv_record rec;
    bool have_record;

#if !defined(CSV_USE_SSE2)
    unsigned char interesting[256];
#endif

    char *header_text; /* the header names, each NUL-terminated, one block */
    at_str *header;
    size_t header_count;
    bool header_read;
};

/* ---------------------------------------------------------------- setup */

static at_code check_options(const at_csv_options *opts, at_error *err)
{
    if (!opts)
        return AT_OK;
    unsigned char d = (unsigned char)opts->delimiter;
    if (d == '"' || d == '\r' || d == '\n' || d >= 0x80)
        return at_fail(err, AT_ERR_USAGE, NULL, "use a comma, semicolon, tab or pipe",
                       "the CSV delimiter cannot be byte 0x%02X", d);
    if (opts->max_record_size > AT_CSV_MAX_RECORD_LIMIT)
        return at_fail(err, AT_ERR_USAGE, NULL, "use at most 2 GiB",
                       "the maximum CSV record size %zu is too large", opts->max_record_size);
    if (opts->chunk_size > AT_CSV_MAX_RECORD_LIMIT)
        return at_fail(err, AT_ERR_USAGE, NULL, "use at most 2 GiB",
                       "the CSV chunk size %zu is too large", opts->chunk_size);
    return AT_OK;
}

static at_code reader_new(at_csv_reader **out, enum source_kind kind, const char *name,
                          const at_csv_options *opts, at_error *err)
{
    *out = NULL;
    at_code code = check_options(opts, err);
    if (code != AT_OK)
        return code;
    at_csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return at_fail(err, AT_ERR_NOMEM, name, NULL, "out of memory opening a CSV reader");
    r->kind = kind;
    r->fd = -1;
    r->chunk = opts && opts->chunk_size ? opts->chunk_size : AT_CSV_DEFAULT_CHUNK;
    if (r->chunk < MIN_CHUNK)
        r->chunk = MIN_CHUNK;
    r->max_record = opts && opts->max_record_size ? opts->max_record_size
                                                  : AT_CSV_DEFAULT_MAX_RECORD;
    r->delim = opts && opts->delimiter ? (unsigned char)opts->delimiter : ',';
    r->line = 1;
    r->name = strdup(name ? name : "input");
    r->cap = r->chunk;
    r->buf = malloc(r->cap + BUFFER_PAD);
    r->fields_cap = FIRST_FIELDS;
    r->fields = malloc(r->fields_cap * sizeof *r->fields);
    r->places = malloc(r->fields_cap * sizeof *r->places);
    if (!r->name || !r->buf || !r->fields || !r->places) {
        at_csv_close(r);
        return at_fail(err, AT_ERR_NOMEM, name, NULL, "out of memory opening a CSV reader");
    }
    memset(r->buf, 0, r->cap + BUFFER_PAD);
#if !defined(CSV_USE_SSE2)
    for (int c = 0; c < 256; c++)
        r->interesting[c] = (c < 14 || c >= 0x80 || c == '"' || c == r->delim);
#endif
    *out = r;
    return AT_OK;
}

at_code at_csv_open(at_csv_reader **out, const char *path, const at_csv_options *opts,
                    at_error *err)
{
    *out = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return at_fail_errno(err, AT_ERR_IO, path, "open the CSV file");
    at_code code = at_csv_open_fd(out, fd, is_stdin ? "stdin" : path, opts, err);
    if (code != AT_OK) {
        if (!is_stdin)
            close(fd);
        return code;
    }
    (*out)->own_fd = !is_stdin;
#if defined(POSIX_FADV_SEQUENTIAL)
    if (!is_stdin)
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    return AT_OK;
}

at_code at_csv_open_fd(at_csv_reader **out, int fd, const char *name, const at_csv_options *opts,
                       at_error *err)
{
    at_code code = reader_new(out, SOURCE_FD, name, opts, err);
    if (code == AT_OK)
        (*out)->fd = fd;
    return code;
}

at_code at_csv_open_file(at_csv_reader **out, FILE *fp, const char *name,
                         const at_csv_options *opts, at_error *err)
{
    at_code code = reader_new(out, SOURCE_FILE, name, opts, err);
    if (code == AT_OK)
        (*out)->fp = fp;
    return code;
}

at_code at_csv_open_memory(at_csv_reader **out, const void *data, size_t len, const char *name,
                           const at_csv_options *opts, at_error *err)
{
    at_code code = reader_new(out, SOURCE_MEMORY, name, opts, err);
    if (code == AT_OK) {
        (*out)->mem = data;
        (*out)->mem_len = len;
    }
    return code;
}

void at_csv_close(at_csv_reader *r)
{
    if (!r)
        return;
    if (r->own_fd && r->fd >= 0)
        close(r->fd);
    free(r->name);
    free(r->buf);
    free(r->fields);
    free(r->places);
    free(r->header_text);
    free(r->header);
    free(r);
}

const char *at_csv_name(const at_csv_reader *r)
{
    return r->name;
}

uint64_t at_csv_bytes_read(const at_csv_reader *r)
{
    return r->consumed + r->pos;
}

/* ---------------------------------------------------------------- errors */

/* Fills err with "name:line:column" as the place. A resumable error makes the next call skip
 * to the line after byte `at`; any other is repeated by every later call. */
static at_code csv_error(at_csv_reader *r, at_error *err, size_t at, bool resumable,
                         uint64_t line, uint64_t column, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static at_code csv_error(at_csv_reader *r, at_error *err, size_t at, bool resumable,
                         uint64_t line, uint64_t column, const char *hint, const char *fmt, ...)
{
    char where[AT_ERROR_WHERE_MAX];
    snprintf(where, sizeof where, "%s:%llu:%llu", r->name, (unsigned long long)line,
             (unsigned long long)column);
    at_error local;
    va_list ap;
    va_start(ap, fmt);
    at_vfail(&local, AT_ERR_INVALID, where, hint, fmt, ap);
    va_end(ap);
    if (resumable) {
        r->pos = at;
        r->line = line;
        r->resync = true;
    } else {
        r->sticky = AT_ERR_INVALID;
        r->sticky_err = local;
    }
    if (err)
        *err = local;
    return AT_ERR_INVALID;
}

static at_code sticky_fail(at_csv_reader *r, at_error *err, at_code code)
{
    r->sticky = code;
    if (err)
        r->sticky_err = *err;
    else
        at_fail(&r->sticky_err, code, r->name, NULL, "reading the CSV file failed");
    return code;
}

/* ---------------------------------------------------------------- input */

/* Reads up to n bytes into dst: the count, 0 at the end, -1 on an error (errno set). */
static ptrdiff_t source_read(at_csv_reader *r, unsigned char *dst, size_t n)
{
    switch (r->kind) {
    case SOURCE_FD:
        for (;;) {
            ssize_t got = read(r->fd, dst, n);
            if (got >= 0 || errno != EINTR)
                return got;
        }
    case SOURCE_FILE: {
        size_t got = fread(dst, 1, n, r->fp);
        if (got == 0 && ferror(r->fp)) {
            if (errno == 0)
                errno = EIO;
            return -1;
        }
        return (ptrdiff_t)got;
    }
    case SOURCE_MEMORY: {
        size_t left = r->mem_len - r->mem_off;
        size_t take = n < left ? n : left;
        if (take)
            memcpy(dst, r->mem + r->mem_off, take);
        r->mem_off += take;
        return (ptrdiff_t)take;
    }
    }
    errno = EINVAL;
    return -1;
}

/* Moves the unparsed bytes [pos, len) to the front, grows the buffer when they are more than a
 * chunk (doubling, so a long record is rescanned O(log n) times), then reads until the buffer
 * is full or the source ends. The caller has checked that len - pos <= max_record. */
static at_code refill(at_csv_reader *r, at_error *err)
{
    size_t kept = r->len - r->pos;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, kept);
        r->consumed += r->pos;
        r->pos = 0;
        r->len = kept;
    }
    size_t want = kept + (kept > r->chunk ? kept : r->chunk);
    size_t limit = r->max_record + r->chunk + 1;
    if (want > limit)
        want = limit;
    if (want > r->cap) {
        unsigned char *grown = realloc(r->buf, want + BUFFER_PAD);
        if (!grown) {
            at_fail(err, AT_ERR_NOMEM, r->name, "raise the memory limit or lower the maximum "
                    "record size", "out of memory for a CSV record of %zu bytes", kept);
            return sticky_fail(r, err, AT_ERR_NOMEM);
        }
        memset(grown + r->cap, 0, want - r->cap + BUFFER_PAD);
        r->buf = grown;
        r->cap = want;
    }
    while (r->len < r->cap && !r->eof) {
        ptrdiff_t got = source_read(r, r->buf + r->len, r->cap - r->len);
        if (got < 0) {
            at_fail_errno(err, AT_ERR_IO, r->name, "read the CSV file");
            return sticky_fail(r, err, AT_ERR_IO);
        }
        if (got == 0)
            r->eof = true;
        r->len += (size_t)got;
    }
    return AT_OK;
}

/* The first read: drops a UTF-8 byte order mark, refuses UTF-16. */
static at_code start(at_csv_reader *r, at_error *err)
{
    r->started = true;
    at_code code = refill(r, err);
    if (code != AT_OK)
        return code;
    const unsigned char *b = r->buf;
    if (r->len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        r->pos = 3;
    } else if (r->len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        return csv_error(r, err, 0, false, 1, 1, "save the file as \"CSV UTF-8\"",
                         "the file is in UTF-16 (it starts with a UTF-16 byte order mark); "
                         "only UTF-8 is read");
    }
    return AT_OK;
}

/* After a resumable error: skips past the next line break. */
static at_code skip_line(at_csv_reader *r, at_error *err)
{
    for (;;) {
        while (r->pos < r->len) {
            unsigned char c = r->buf[r->pos++];
            if (c == '\n' || c == '\r') {
                r->line++;
                r->after_cr = c == '\r';
                r->resync = false;
                return AT_OK;
            }
        }
        if (r->eof) {
            r->resync = false;
            return AT_OK;
        }
        at_code code = refill(r, err);
        if (code != AT_OK)
            return code;
    }
}

/* ---------------------------------------------------------------- scanning */

#if defined(CSV_USE_SSE2)
static inline uint64_t block_mask(const unsigned char *p, unsigned char delim)
{
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i comma = _mm_set1_epi8((char)delim);
    const __m128i low = _mm_set1_epi8(14); /* signed: 0x00..0x0D (NUL, LF, CR) and 0x80..0xFF */
    uint64_t bits = 0;
    for (int i = 0; i < 4; i++) {
        __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(d, quote), _mm_cmpeq_epi8(d, comma)),
                                 _mm_cmplt_epi8(d, low));
        bits |= (uint64_t)(uint32_t)_mm_movemask_epi8(m) << (16 * i);
    }
    return bits;
}
#else
static inline uint64_t block_mask_table(const unsigned char *p, const unsigned char *table)
{
    uint64_t bits = 0;
    for (int i = 0; i < SCAN_BLOCK; i++)
        bits |= (uint64_t)table[p[i]] << i;
    return bits;
}
#endif

/* The first interesting byte at or after p (a quote, the delimiter, a byte below 0x0E, or one
 * of 0x80 and above), or end when there is none before end. */
static inline const unsigned char *scan_next(const at_csv_reader *r, scanner *s,
                                             const unsigned char *p, const unsigned char *end)
{
    for (;;) {
        size_t off = (size_t)(p - s->base);
        if (off < s->span) {
            uint64_t m = s->bits >> off;
            if (m)
                return p + __builtin_ctzll(m);
            p = s->base + s->span;
        }
        if (p >= end)
            return end;
        size_t n = (size_t)(end - p);
        if (n > SCAN_BLOCK)
            n = SCAN_BLOCK;
        s->base = p;
        s->span = n;
#if defined(CSV_USE_SSE2)
        s->bits = block_mask(p, r->delim);
#else
        s->bits = block_mask_table(p, r->interesting);
#endif
        if (n < SCAN_BLOCK)
            s->bits &= (UINT64_C(1) << n) - 1;
    }
}

/* ---------------------------------------------------------------- parsing */

enum parse_result { PARSE_RECORD, PARSE_NEED_MORE, PARSE_FAILED };

static bool grow_fields(at_csv_reader *r)
{
    size_t cap = r->fields_cap * 2;
    at_str *f = realloc(r->fields, cap * sizeof *f);
    if (!f)
        return false;
    r->fields = f;
    field_place *pl = realloc(r->places, cap * sizeof *pl);
    if (!pl)
        return false;
    r->places = pl;
    r->fields_cap = cap;
    return true;
}

/* Undoes "" in a quoted field's value, in place. */
static size_t unescape(char *s, size_t len)
{
    char *q = memchr(s, '"', len);
    if (!q)
        return len;
    char *w = q + 1; /* keep the first quote of the pair */
    const char *rd = q + 2;
    const char *end = s + len;
    while (rd < end) {
        const char *next = memchr(rd, '"', (size_t)(end - rd));
        size_t run = next ? (size_t)(next - rd) + 1 : (size_t)(end - rd);
        memmove(w, rd, run);
        w += run;
        rd += run + (next ? 1 : 0);
    }
    return (size_t)(w - s);
}

static const char *const UTF8_HINT =
    "save the file as UTF-8 (\"CSV UTF-8\"); it may be in Latin-1 or Windows-1252";

static void describe_byte(unsigned char c, char *buf, size_t size)
{
    if (c > 0x20 && c < 0x7F)
        snprintf(buf, size, "'%c'", c);
    else if (c == ' ')
        snprintf(buf, size, "a space");
    else
        snprintf(buf, size, "byte 0x%02X", c);
}

/* Parses the record at pos. PARSE_NEED_MORE means the data ends inside it (and the source has
 * more): nothing was changed, and the caller refills and calls again from the same start. */
static enum parse_result parse_record(at_csv_reader *r, at_code *code, at_error *err)
{
    unsigned char *const base = r->buf;
    const unsigned char *const rs = base + r->pos;
    const unsigned char *const end = base + r->len;
    const unsigned char delim = r->delim;
    const bool eof = r->eof;
    const unsigned char *p = rs;
    const unsigned char *line_start = rs;
    const unsigned char *le; /* where the line end (or the end of the data) is */
    const unsigned char *bad;
    uint32_t ld = 0;
    size_t nf = 0;
    bool any_escape = false;
    bool in_quote = false; /* inside the quotes of field nf */
    scanner s = {rs, 0, 0};
    at_utf8_status ust = AT_UTF8_OK;

    for (;;) {
        if (nf == r->fields_cap && !grow_fields(r)) {
            *code = at_fail(err, AT_ERR_NOMEM, r->name, NULL, "out of memory for CSV fields");
            sticky_fail(r, err, AT_ERR_NOMEM);
            return PARSE_FAILED;
        }
        const unsigned char *fs = p;
        r->places[nf].line_delta = ld;
        r->places[nf].column = (uint32_t)(fs - line_start + 1);
        if (p < end && *p == '"') {
            const unsigned char *q;
            p++;
            in_quote = true;
            for (;;) {
                q = scan_next(r, &s, p, end);
                if (q == end) {
                    if (!eof)
                        goto need_more;
                    goto unterminated;
                }
                unsigned char c = *q;
                if (c == '"') {
                    if (q + 1 == end) {
                        if (!eof)
                            goto need_more;
                        break;
                    }
                    if (q[1] == '"') {
                        any_escape = true;
                        p = q + 2;
                        continue;
                    }
                    break;
                }
                if (c == '\n') {
                    ld++;
                    p = line_start = q + 1;
                } else if (c == '\r') {
                    if (q + 1 == end && !eof)
                        goto need_more;
                    p = q + 1;
                    if (p < end && *p == '\n')
                        p++;
                    ld++;
                    line_start = p;
                } else if (c >= 0x80) {
                    size_t n;
                    ust = at_utf8_check_sequence(q, (size_t)(end - q), &n);
                    if (ust != AT_UTF8_OK) {
                        if (ust == AT_UTF8_INCOMPLETE && !eof)
                            goto need_more;
                        bad = q;
                        goto bad_utf8;
                    }
                    p = q + n;
                } else if (c == 0) {
                    bad = q;
                    goto nul_byte;
                } else {
                    p = q + 1; /* the delimiter or another control byte: data here */
                }
            }
            in_quote = false;
            r->fields[nf++] = at_str_make((const char *)fs + 1, (size_t)(q - fs - 1));
            p = q + 1;
            if (p == end) {
                if (!eof)
                    goto need_more;
                le = p;
                goto record_end;
            }
            if (*p == delim) {
                p++;
                continue;
            }
            if (*p == '\n' || *p == '\r') {
                le = p;
                goto record_end;
            }
            bad = p;
            goto after_quote;
        } else {
            for (;;) {
                const unsigned char *q = scan_next(r, &s, p, end);
                if (q == end) {
                    if (!eof)
                        goto need_more;
                    r->fields[nf++] = at_str_make((const char *)fs, (size_t)(q - fs));
                    le = q;
                    goto record_end;
                }
                unsigned char c = *q;
                if (c == delim) {
                    r->fields[nf++] = at_str_make((const char *)fs, (size_t)(q - fs));
                    p = q + 1;
                    break;
                }
                if (c == '\n' || c == '\r') {
                    r->fields[nf++] = at_str_make((const char *)fs, (size_t)(q - fs));
                    le = q;
                    goto record_end;
                }
                if (c >= 0x80) {
                    size_t n;
                    ust = at_utf8_check_sequence(q, (size_t)(end - q), &n);
                    if (ust != AT_UTF8_OK) {
                        if (ust == AT_UTF8_INCOMPLETE && !eof)
                            goto need_more;
                        bad = q;
                        goto bad_utf8;
                    }
                    p = q + n;
                } else if (c == '"') {
                    bad = q;
                    goto quote_inside;
                } else if (c == 0) {
                    bad = q;
                    goto nul_byte;
                } else {
                    p = q + 1;
                }
            }
        }
    }

record_end:
    if ((size_t)(le - rs) > r->max_record)
        goto too_long;
    if (le == end) {
        p = le;
    } else if (*le == '\n') {
        p = le + 1;
    } else { /* CR, perhaps CRLF */
        p = le + 1;
        if (p < end) {
            if (*p == '\n')
                p++;
        } else if (!eof) {
            r->after_cr = true;
        }
    }
    if (any_escape) {
        for (size_t i = 0; i < nf; i++)
            if (r->fields[i].len)
                r->fields[i].len = unescape((char *)r->fields[i].ptr, r->fields[i].len);
    }
    r->rec.fields = r->fields;
    r->rec.count = nf;
    r->rec.line = r->line;
    r->rec.number = ++r->records;
    r->have_record = true;
    r->line += ld + 1;
    r->pos = (size_t)(p - base);
    return PARSE_RECORD;

need_more:
    if ((size_t)(end - rs) <= r->max_record)
        return PARSE_NEED_MORE;
    le = end; /* the record is already longer than allowed */
too_long: {
    char detail[128] = "";
    if (le == end && in_quote)
        snprintf(detail, sizeof detail,
                 " (the quoted field that opens at line %llu, column %lu is still open)",
                 (unsigned long long)(r->line + r->places[nf].line_delta),
                 (unsigned long)r->places[nf].column);
    *code = csv_error(r, err, 0, false, r->line, 1,
                      "check for a quote that is never closed, or raise the maximum record size",
                      "the record is longer than the maximum of %zu bytes%s", r->max_record,
                      detail);
    return PARSE_FAILED;
}

unterminated:
    *code = csv_error(r, err, 0, false, r->line + r->places[nf].line_delta,
                      r->places[nf].column,
                      "add the closing quote; a quote inside a quoted field is written twice "
                      "(\"\")",
                      "the quoted field that opens here is never closed (the file ends inside it)");
    return PARSE_FAILED;

quote_inside:
    *code = csv_error(r, err, (size_t)(bad - base), true, r->line + ld,
                      (uint64_t)(bad - line_start + 1),
                      "put the whole field in quotes and write each quote inside it twice: "
                      "\"5\"\" screen\"",
                      "a quote (\") inside field %zu, which does not start with a quote", nf + 1);
    return PARSE_FAILED;

after_quote: {
    char what[32];
    describe_byte(*bad, what, sizeof what);
    *code = csv_error(r, err, (size_t)(bad - base), true, r->line + ld,
                      (uint64_t)(bad - line_start + 1),
                      "a quoted field ends at its closing quote: write a quote that belongs to "
                      "the text twice (\"\"), and put nothing between the quote and the delimiter",
                      "%s after the closing quote of field %zu", what, nf);
    return PARSE_FAILED;
}

bad_utf8: {
    char what[128];
    at_utf8_describe(ust, bad, (size_t)(end - bad), what, sizeof what);
    *code = csv_error(r, err, (size_t)(bad - base), true, r->line + ld,
                      (uint64_t)(bad - line_start + 1), UTF8_HINT, "invalid UTF-8: %s", what);
    return PARSE_FAILED;
}

nul_byte:
    *code = csv_error(r, err, (size_t)(bad - base), true, r->line + ld,
                      (uint64_t)(bad - line_start + 1),
                      "the file looks binary or UTF-16: save it as UTF-8 CSV",
                      "a NUL byte (0x00) in the data");
    return PARSE_FAILED;
}

at_code at_csv_next(at_csv_reader *r, const at_csv_record **rec, at_error *err)
{
    *rec = NULL;
    r->have_record = false;
    if (r->sticky != AT_OK) {
        if (err)
            *err = r->sticky_err;
        return r->sticky;
    }
    at_code code;
    if (!r->started && (code = start(r, err)) != AT_OK)
        return code;
    if (r->resync && (code = skip_line(r, err)) != AT_OK)
        return code;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof)
                return AT_OK;
            if ((code = refill(r, err)) != AT_OK)
                return code;
            continue;
        }
        unsigned char c = r->buf[r->pos];
        if (r->after_cr) {
            r->after_cr = false;
            if (c == '\n') {
                r->pos++;
                continue;
            }
        }
        if (c == '\n' || c == '\r') { /* a blank line */
            r->pos++;
            r->line++;
            if (c == '\r') {
                if (r->pos < r->len) {
                    if (r->buf[r->pos] == '\n')
                        r->pos++;
                } else {
                    r->after_cr = true;
                }
            }
            continue;
        }
        switch (parse_record(r, &code, err)) {
        case PARSE_RECORD:
            *rec = &r->rec;
            return AT_OK;
        case PARSE_NEED_MORE:
            if ((code = refill(r, err)) != AT_OK)
                return code;
            break;
        case PARSE_FAILED:
            return code;
        }
    }
}

/* ---------------------------------------------------------------- places */

void at_csv_field_place(const at_csv_reader *r, size_t index, uint64_t *line, uint64_t *column)
{
    if (!r->have_record || index >= r->rec.count) {
        *line = r->have_record ? r->rec.line : r->line;
        *column = 1;
        return;
    }
    *line = r->rec.line + r->places[index].line_delta;
    *column = r->places[index].column;
}

int at_csv_where(const at_csv_reader *r, size_t index, char *buf, size_t size)
{
    uint64_t line, column;
    at_csv_field_place(r, index, &line, &column);
    if (!r->have_record || index >= r->rec.count)
        return snprintf(buf, size, "%s:%llu", r->name, (unsigned long long)line);
    if (index < r->header_count && r->header[index].len > 0)
        return snprintf(buf, size, "%s:%llu:%llu (column %.*s)", r->name,
                        (unsigned long long)line, (unsigned long long)column,
                        (int)(r->header[index].len > 64 ? 64 : r->header[index].len),
                        r->header[index].ptr);
    return snprintf(buf, size, "%s:%llu:%llu (field %zu)", r->name, (unsigned long long)line,
                    (unsigned long long)column, index + 1);
}

at_code at_csv_fail(const at_csv_reader *r, size_t index, at_error *err, at_code code,
                    const char *hint, const char *fmt, ...)
{
    char where[AT_ERROR_WHERE_MAX];
    at_csv_where(r, index, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    at_vfail(err, code, where, hint, fmt, ap);
    va_end(ap);
    return code;
}

/* ---------------------------------------------------------------- header */

at_code at_csv_read_header(at_csv_reader *r, at_error *err)
{
    if (r->header_read || r->records > 0)
        return at_fail(err, AT_ERR_INTERNAL, r->name, NULL,
                       "the CSV header must be read first, and once");
    r->header_read = true;
    const at_csv_record *rec;
    at_code code = at_csv_next(r, &rec, err);
    if (code != AT_OK)
        return code;
    if (!rec)
        return at_fail(err, AT_ERR_INVALID, r->name,
                       "the first line must name the columns, e.g. id,date,amount",
                       "the file is empty: there is no header line");
    size_t total = 0;
    for (size_t i = 0; i < rec->count; i++)
        total += rec->fields[i].len + 1;
    r->header_text = malloc(total);
    r->header = malloc(rec->count * sizeof *r->header);
    if (!r->header_text || !r->header)
        return sticky_fail(r, err, at_fail(err, AT_ERR_NOMEM, r->name, NULL,
                                           "out of memory for the CSV header"));
    char *w = r->header_text;
    for (size_t i = 0; i < rec->count; i++) {
        if (rec->fields[i].len)
            memcpy(w, rec->fields[i].ptr, rec->fields[i].len);
        w[rec->fields[i].len] = '\0';
        r->header[i] = at_str_make(w, rec->fields[i].len);
        w += rec->fields[i].len + 1;
    }
    r->header_count = rec->count;
    for (size_t i = 1; i < rec->count; i++) {
        if (r->header[i].len == 0)
            continue;
        for (size_t j = 0; j < i; j++) {
            if (at_str_eq(r->header[i], r->header[j])) {
                uint64_t line, column;
                at_csv_field_place(r, i, &line, &column);
                char where[AT_ERROR_WHERE_MAX];
                snprintf(where, sizeof where, "%s:%llu:%llu", r->name, (unsigned long long)line,
                         (unsigned long long)column);
                return at_fail(err, AT_ERR_INVALID, where,
                               "rename one of the columns so that every name is different",
                               "the column name '%.*s' appears twice (fields %zu and %zu)",
                               (int)(r->header[i].len > 64 ? 64 : r->header[i].len),
                               r->header[i].ptr, j + 1, i + 1);
            }
        }
    }
    return AT_OK;
}

size_t at_csv_header_count(const at_csv_reader *r)
{
    return r->header_count;
}

at_str at_csv_header_name(const at_csv_reader *r, size_t index)
{
    if (index >= r->header_count)
        return at_str_make("", 0);
    return r->header[index];
}

at_code at_csv_column(const at_csv_reader *r, const char *name, size_t *index, at_error *err)
{
    at_str want = at_str_from(name);
    for (size_t i = 0; i < r->header_count; i++) {
        if (at_str_eq(r->header[i], want)) {
            *index = i;
            return AT_OK;
        }
    }
    at_str loose = at_str_trim(want);
    size_t found = SIZE_MAX, second = SIZE_MAX;
    for (size_t i = 0; i < r->header_count; i++) {
        if (at_str_eq_nocase(at_str_trim(r->header[i]), loose)) {
            if (found == SIZE_MAX)
                found = i;
            else if (second == SIZE_MAX)
                second = i;
        }
    }
    char where[AT_ERROR_WHERE_MAX];
    snprintf(where, sizeof where, "%s:1", r->name);
    if (found != SIZE_MAX && second == SIZE_MAX) {
        *index = found;
        return AT_OK;
    }
    if (found != SIZE_MAX)
        return at_fail(err, AT_ERR_CONFLICT, where,
                       "rename the columns so that only one matches, or use the exact name",
                       "the column name '%s' matches both '%.*s' (field %zu) and '%.*s' "
                       "(field %zu)",
                       name, (int)(r->header[found].len > 64 ? 64 : r->header[found].len),
                       r->header[found].ptr, found + 1,
                       (int)(r->header[second].len > 64 ? 64 : r->header[second].len),
                       r->header[second].ptr, second + 1);
    char hint[AT_ERROR_HINT_MAX];
    int n = snprintf(hint, sizeof hint, "the header has: ");
    for (size_t i = 0; i < r->header_count && n > 0 && (size_t)n < sizeof hint; i++)
        n += snprintf(hint + n, sizeof hint - (size_t)n, "%s%.*s", i ? ", " : "",
                      (int)(r->header[i].len > 64 ? 64 : r->header[i].len), r->header[i].ptr);
    if (r->header_count == 0)
        snprintf(hint, sizeof hint, "read the header first");
    return at_fail(err, AT_ERR_NOT_FOUND, where, hint, "there is no column named '%s'", name);
}
