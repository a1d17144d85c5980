/* csv.h - reading and writing CSV files (RFC 4180), fast and strict: every import and export
 * and the demo-data generator go through here.
 *
 * READING. A reader streams a file (a path, "-" for standard input, an fd, a FILE* or a block of
 * memory) through one buffer, chunk by chunk, and hands out one record at a time. A record's
 * fields are at_str views into that buffer: no copy for plain fields, and quoted fields have
 * their "" escapes undone in place. The views stay valid until the next call on the reader.
 *
 *   at_csv_reader *r;
 *   const at_csv_record *rec;
 *   if (at_csv_open(&r, "deals.csv", NULL, &err) != AT_OK) return err.code;
 *   if (at_csv_read_header(r, &err) == AT_OK && at_csv_column(r, "amount", &amount, &err) == AT_OK)
 *       while ((code = at_csv_next(r, &rec, &err)) == AT_OK && rec)
 *           use(rec->fields[amount]);          (check rec->count first)
 *   at_csv_close(r);
 *
 * The dialect, exactly:
 *  - Fields are separated by a comma (or the delimiter in the options). A field that starts
 *    with a double quote is quoted: it runs to the next quote that is not doubled, and may hold
 *    delimiters, line breaks and "" (one quote). Line breaks inside quotes are kept as they are
 *    in the file (CRLF stays CRLF). Spaces are data: nothing is trimmed.
 *  - A record ends at LF, CRLF or a lone CR (old Mac files); each counts as one line. The last
 *    record may end without a line break.
 *  - Blank lines (a line break right at the start of a record) are skipped, anywhere in the
 *    file, and still counted for line numbers. A line holding only spaces is not blank: it is a
 *    record of one field. A record of one empty field is written "" (see the writer).
 *  - A UTF-8 byte order mark at the very start is dropped. Text must be well-formed UTF-8
 *    (no overlongs, surrogates or cut-short sequences); NUL bytes are refused.
 *  - Records may have different field counts: checking the count is the importer's job.
 *
 * Places. Lines are 1-based and count every line break in the file (including those inside
 * quotes and blank lines). Columns are 1-based BYTE offsets within the line (equal to character
 * columns for ASCII), after the byte order mark on line 1. Fields are numbered from 0 in the API
 * and from 1 ("field 3") in messages.
 *
 * Errors. Malformed input gives AT_ERR_INVALID with where = "name:line:column" and a hint:
 *   a quote inside a field that does not start with one      (at the quote)
 *   something other than a delimiter or line end after a closing quote   (at that byte)
 *   a bad UTF-8 character                                    (at its first byte)
 *   a NUL byte                                               (at the byte)
 *   a quoted field still open at the end of the file         (at the opening quote)
 *   a record longer than max_record_size                     (at the record's start)
 *   a file in UTF-16                                         (at 1:1)
 * After one of the first four, the next at_csv_next resumes at the line after the bad byte, so
 * an import can list several problems (later ones may follow from the first). The others, and
 * AT_ERR_IO / AT_ERR_NOMEM, leave nothing sensible to resume from: every later call returns
 * the same error again.
 *
 * Memory. The buffer starts at chunk_size (1 MiB) and grows only while one record is larger
 * than what it holds, up to about max_record_size + chunk_size, so a runaway quote costs at
 * most that much memory before the reader reports it.
 *
 * Speed. The scan for the next interesting byte (quote, delimiter, CR, LF, NUL, non-ASCII)
 * looks at 64 bytes at a time (SSE2 on x86-64, a table elsewhere) and keeps the bit mask
 * between fields, so each byte is classified once; non-ASCII bytes go to the UTF-8 checker.
 *
 * WRITING. A writer buffers output (1 MiB) to a path or a FILE*, quotes a field only when it
 * must (delimiter, quote, CR, LF, a leading or trailing space or tab, a leading byte order
 * mark, or the lone empty field of a record), ends records with LF (CRLF on request) and
 * reports I/O errors (a full disk) with the path. It never allocates after opening. What it
 * writes, the reader reads back equal. */
#ifndef ATTAIN_CORE_CSV_H
#define ATTAIN_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/str.h"

#define AT_CSV_DEFAULT_CHUNK ((size_t)1 << 20)          /* 1 MiB read at a time */
#define AT_CSV_DEFAULT_MAX_RECORD ((size_t)64 << 20)    /* 64 MiB for one record */
#define AT_CSV_MAX_RECORD_LIMIT ((size_t)1 << 31)       /* the largest max_record_size allowed */

/* ---------------------------------------------------------------- reading */

typedef struct at_csv_options {
    size_t chunk_size;      /* bytes read at a time; 0 = AT_CSV_DEFAULT_CHUNK; tests use tiny
                               ones (under 4 counts as 4); at most AT_CSV_MAX_RECORD_LIMIT */
    size_t max_record_size; /* longest record in bytes, quotes and delimiters included, line end
                               excluded; 0 = AT_CSV_DEFAULT_MAX_RECORD; at most
                               AT_CSV_MAX_RECORD_LIMIT */
    char delimiter;         /* 0 = ','; may be ';', '\t', '|' ... but not a quote, CR, LF, NUL
                               or a byte >= 0x80 */
} at_csv_options;

typedef struct at_csv_reader at_csv_reader;

typedef struct at_csv_record {
    const at_str *fields; /* count fields, views valid until the next call on the reader */
    size_t count;         /* at least 1 */
    uint64_t line;        /* the line the record starts on, 1-based */
    uint64_t number;      /* 1-based count of records read so far, the header included */
} at_csv_record;

/* Opens a file for reading; path "-" reads standard input (named "stdin" in messages). opts
 * may be NULL for the defaults. On failure *out is NULL and err says why (AT_ERR_IO with the
 * path, AT_ERR_USAGE for bad options, AT_ERR_NOMEM). */
at_code at_csv_open(at_csv_reader **out, const char *path, const at_csv_options *opts,
                    at_error *err);
/* Reads from an open fd / FILE*, which the reader neither closes nor seeks. name is used in
 * messages ("upload.csv"); NULL means "input". */
at_code at_csv_open_fd(at_csv_reader **out, int fd, const char *name, const at_csv_options *opts,
                       at_error *err);
at_code at_csv_open_file(at_csv_reader **out, FILE *fp, const char *name,
                         const at_csv_options *opts, at_error *err);
/* Reads len bytes at data, which must stay alive and unchanged until at_csv_close (they are
 * copied chunk by chunk, never modified). */
at_code at_csv_open_memory(at_csv_reader **out, const void *data, size_t len, const char *name,
                           const at_csv_options *opts, at_error *err);
/* Frees the reader (closes the file only when at_csv_open opened it). NULL is fine. */
void at_csv_close(at_csv_reader *r);

/* The next record: *rec points at it (owned by the reader, valid until the next call), or is
 * NULL at the end of the input. Returns AT_OK, or an error as described at the top (with *rec
 * NULL). */
at_code at_csv_next(at_csv_reader *r, const at_csv_record **rec, at_error *err);

/* Reads the first record as the header and keeps a copy of its names. Must come before any
 * at_csv_next. AT_ERR_INVALID when the input is empty or a (non-empty) name appears twice
 * (where points at the second one); the names are kept even then. */
at_code at_csv_read_header(at_csv_reader *r, at_error *err);
/* The header's field count and names (0 / an empty view before at_csv_read_header). */
size_t at_csv_header_count(const at_csv_reader *r);
at_str at_csv_header_name(const at_csv_reader *r, size_t index);
/* The 0-based index of the column called name: an exact match first, then a match ignoring
 * ASCII case and surrounding spaces/tabs ("Amount " finds "amount"). AT_ERR_NOT_FOUND (the
 * hint lists the header) when nothing matches; AT_ERR_CONFLICT when there is no exact match
 * and several columns match loosely. */
at_code at_csv_column(const at_csv_reader *r, const char *name, size_t *index, at_error *err);

/* Where field `index` of the current record starts: its line and byte column (1-based; for a
 * quoted field, the place of its opening quote). An index past the record gives the record's
 * start. */
void at_csv_field_place(const at_csv_reader *r, size_t index, uint64_t *line, uint64_t *column);
/* "deals.csv:12:31 (column amount)" for field index of the current record ("(field 3)" when
 * there is no header or the header is shorter); "deals.csv:12" when index is past the record.
 * Returns the length it would have written, like snprintf. */
int at_csv_where(const at_csv_reader *r, size_t index, char *buf, size_t size);
/* Fills err for a bad value in field index of the current record, with at_csv_where as the
 * place: return at_csv_fail(r, i, err, AT_ERR_INVALID, "use YYYY-MM-DD", "bad date '%s'", s); */
at_code at_csv_fail(const at_csv_reader *r, size_t index, at_error *err, at_code code,
                    const char *hint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The name used in messages, and the bytes consumed so far (for progress). */
const char *at_csv_name(const at_csv_reader *r);
uint64_t at_csv_bytes_read(const at_csv_reader *r);

/* ---------------------------------------------------------------- writing */

typedef struct at_csv_writer_options {
    bool crlf;          /* end records with CRLF instead of LF */
    char delimiter;     /* 0 = ',' (same rules as the reader's) */
    size_t buffer_size; /* 0 = 1 MiB */
} at_csv_writer_options;

typedef struct at_csv_writer at_csv_writer;

/* Creates (or truncates) path for writing; "-" is standard output. opts may be NULL. */
at_code at_csv_writer_open(at_csv_writer **out, const char *path,
                           const at_csv_writer_options *opts, at_error *err);
/* Writes to fp, which the writer flushes but never closes; name is used in messages. */
at_code at_csv_writer_open_file(at_csv_writer **out, FILE *fp, const char *name,
                                const at_csv_writer_options *opts, at_error *err);
/* Flushes, closes what at_csv_writer_open opened, frees the writer, and reports the first
 * error seen (a failed write, a failed close: AT_ERR_IO with the path). NULL is fine. */
at_code at_csv_writer_close(at_csv_writer *w, at_error *err);
/* Sends the buffer to the file (and fflush for a FILE*). */
at_code at_csv_writer_flush(at_csv_writer *w, at_error *err);

/* A whole record. A field holding a NUL byte is refused (AT_ERR_INVALID: CSV cannot carry it);
 * fields are not checked for UTF-8. n must be at least 1. */
at_code at_csv_write_record(at_csv_writer *w, const at_str *fields, size_t n, at_error *err);
at_code at_csv_write_cstrs(at_csv_writer *w, const char *const *fields, size_t n, at_error *err);

/* A record field by field: the delimiter goes in before every field but the first, and
 * at_csv_end_record writes the line end. For the generator's hot loops. */
at_code at_csv_write_field(at_csv_writer *w, at_str field, at_error *err);
at_code at_csv_write_cstr(at_csv_writer *w, const char *field, at_error *err);
at_code at_csv_write_int64(at_csv_writer *w, int64_t value, at_error *err);
/* An already-formatted number ("1234.50", from at_money_format): quoted only if it somehow
 * needs it, like any field. */
at_code at_csv_write_number(at_csv_writer *w, const char *text, size_t len, at_error *err);
at_code at_csv_end_record(at_csv_writer *w, at_error *err);

/* Bytes written so far (buffered ones included). */
uint64_t at_csv_writer_bytes(const at_csv_writer *w);

#endif
