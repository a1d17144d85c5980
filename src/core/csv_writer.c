/* csv_writer.c - the buffered CSV writer: quoting only when needed, numbers without printf,
 * and I/O errors (a full disk) reported with the path (see csv.h). */
#include "core/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_BUFFER ((size_t)1 << 20)
#define MIN_BUFFER 64 /* room for any number and a line end */

struct at_csv_writer {
    int fd;       /* -1 when writing to fp */
    bool own_fd;
    FILE *fp;
    char *name;
    char *buf;
    size_t cap, len;
    uint64_t flushed;
    unsigned char delim;
    bool crlf;
    size_t fields_in_record;
    bool lone_empty; /* the record so far is one empty field, written as nothing */
    at_code sticky;
    at_error sticky_err;
    unsigned char special[256]; /* 1: forces quotes; 2: a NUL, refused */
};

static at_code writer_new(at_csv_writer **out, const char *name, const at_csv_writer_options *opts,
                          at_error *err)
{
    *out = NULL;
    unsigned char d = opts && opts->delimiter ? (unsigned char)opts->delimiter : ',';
    if (d == '"' || d == '\r' || d == '\n' || d >= 0x80)
        return at_fail(err, AT_ERR_USAGE, NULL, "use a comma, semicolon, tab or pipe",
                       "the CSV delimiter cannot be byte 0x%02X", d);
    at_csv_writer *w = calloc(1, sizeof *w);
    if (!w)
        return at_fail(err, AT_ERR_NOMEM, name, NULL, "out of memory opening a CSV writer");
    w->fd = -1;
    w->delim = d;
    w->crlf = opts && opts->crlf;
    w->cap = opts && opts->buffer_size ? opts->buffer_size : DEFAULT_BUFFER;
    if (w->cap < MIN_BUFFER)
        w->cap = MIN_BUFFER;
    w->buf = malloc(w->cap);
    w->name = strdup(name ? name : "output");
    if (!w->buf || !w->name) {
        free(w->buf);
        free(w->name);
        free(w);
        return at_fail(err, AT_ERR_NOMEM, name, NULL, "out of memory opening a CSV writer");
    }
    w->special[d] = 1;
    w->special['"'] = 1;
    w->special['\r'] = 1;
    w->special['\n'] = 1;
    w->special[0] = 2;
    *out = w;
    return AT_OK;
}

at_code at_csv_writer_open(at_csv_writer **out, const char *path,
                           const at_csv_writer_options *opts, at_error *err)
{
    *out = NULL;
    bool is_stdout = strcmp(path, "-") == 0;
    int fd = is_stdout ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return at_fail_errno(err, AT_ERR_IO, path, "create the CSV file");
    at_code code = writer_new(out, is_stdout ? "stdout" : path, opts, err);
    if (code != AT_OK) {
        if (!is_stdout)
            close(fd);
        return code;
    }
    (*out)->fd = fd;
    (*out)->own_fd = !is_stdout;
    return AT_OK;
}

at_code at_csv_writer_open_file(at_csv_writer **out, FILE *fp, const char *name,
                                const at_csv_writer_options *opts, at_error *err)
{
    at_code code = writer_new(out, name, opts, err);
    if (code == AT_OK)
        (*out)->fp = fp;
    return code;
}

uint64_t at_csv_writer_bytes(const at_csv_writer *w)
{
    return w->flushed + w->len;
}

static at_code repeat_sticky(const at_csv_writer *w, at_error *err)
{
    if (err)
        *err = w->sticky_err;
    return w->sticky;
}

/* Sends the buffer on; the first failure sticks. */
static at_code drain(at_csv_writer *w, at_error *err)
{
    if (w->sticky != AT_OK)
        return repeat_sticky(w, err);
    size_t done = 0;
    while (done < w->len) {
        if (w->fd >= 0) {
            ssize_t n = write(w->fd, w->buf + done, w->len - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                if (n == 0)
                    errno = ENOSPC;
                break;
            }
            done += (size_t)n;
        } else {
            errno = 0;
            size_t n = fwrite(w->buf + done, 1, w->len - done, w->fp);
            done += n;
            if (done < w->len) {
                if (errno == 0)
                    errno = EIO;
                break;
            }
        }
    }
    if (done < w->len) {
        at_fail_errno(&w->sticky_err, AT_ERR_IO, w->name, "write the CSV file");
        w->sticky = AT_ERR_IO;
        w->len = 0;
        return repeat_sticky(w, err);
    }
    w->flushed += w->len;
    w->len = 0;
    return AT_OK;
}

at_code at_csv_writer_flush(at_csv_writer *w, at_error *err)
{
    at_code code = drain(w, err);
    if (code == AT_OK && w->fp && fflush(w->fp) != 0) {
        at_fail_errno(&w->sticky_err, AT_ERR_IO, w->name, "write the CSV file");
        w->sticky = AT_ERR_IO;
        return repeat_sticky(w, err);
    }
    return code;
}

at_code at_csv_writer_close(at_csv_writer *w, at_error *err)
{
    if (!w)
        return AT_OK;
    at_code code = at_csv_writer_flush(w, err);
    if (w->own_fd && close(w->fd) != 0 && code == AT_OK)
        code = at_fail_errno(err, AT_ERR_IO, w->name, "close the CSV file");
    free(w->buf);
    free(w->name);
    free(w);
    return code;
}

/* Makes room for n bytes (n <= cap). */
static inline at_code reserve(at_csv_writer *w, size_t n, at_error *err)
{
    if (w->len + n <= w->cap)
        return AT_OK;
    return drain(w, err);
}

/* Copies n bytes through the buffer (n may exceed its size). */
static at_code put(at_csv_writer *w, const char *s, size_t n, at_error *err)
{
    while (n > 0) {
        if (w->len == w->cap) {
            at_code code = drain(w, err);
            if (code != AT_OK)
                return code;
        }
        size_t room = w->cap - w->len;
        size_t take = n < room ? n : room;
        memcpy(w->buf + w->len, s, take);
        w->len += take;
        s += take;
        n -= take;
    }
    return AT_OK;
}

static inline at_code put_byte(at_csv_writer *w, char c, at_error *err)
{
    if (w->len == w->cap) {
        at_code code = drain(w, err);
        if (code != AT_OK)
            return code;
    }
    w->buf[w->len++] = c;
    return AT_OK;
}

/* Writes the delimiter before every field but the first of a record. */
static inline at_code begin_field(at_csv_writer *w, at_error *err)
{
    if (w->sticky != AT_OK)
        return repeat_sticky(w, err);
    if (w->fields_in_record++ == 0)
        return AT_OK;
    w->lone_empty = false;
    return put_byte(w, (char)w->delim, err);
}

static at_code put_quoted(at_csv_writer *w, const char *s, size_t n, at_error *err)
{
    at_code code = put_byte(w, '"', err);
    const char *end = s + n;
    while (code == AT_OK && s < end) {
        const char *q = memchr(s, '"', (size_t)(end - s));
        size_t run = q ? (size_t)(q - s) + 1 : (size_t)(end - s);
        code = put(w, s, run, err); /* up to and with the quote, */
        if (code == AT_OK && q)
            code = put_byte(w, '"', err); /* which is then doubled */
        s += run;
    }
    return code == AT_OK ? put_byte(w, '"', err) : code;
}

at_code at_csv_write_field(at_csv_writer *w, at_str field, at_error *err)
{
    const unsigned char *s = (const unsigned char *)field.ptr;
    size_t n = field.len;
    unsigned flags = 0;
    for (size_t i = 0; i < n; i++)
        flags |= w->special[s[i]];
    if (flags & 2) /* refused before anything is written */
        return at_fail(err, AT_ERR_INVALID, w->name, "remove NUL bytes from the data",
                       "a field to write holds a NUL byte, which CSV cannot carry");
    bool first = w->fields_in_record == 0;
    at_code code = begin_field(w, err);
    if (code != AT_OK)
        return code;
    if (n == 0) {
        w->lone_empty = first;
        return AT_OK;
    }
    bool quote = flags || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
                 (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF);
    if (quote)
        return put_quoted(w, field.ptr, n, err);
    if (n <= w->cap - w->len) {
        memcpy(w->buf + w->len, s, n);
        w->len += n;
        return AT_OK;
    }
    return put(w, field.ptr, n, err);
}

at_code at_csv_write_cstr(at_csv_writer *w, const char *field, at_error *err)
{
    return at_csv_write_field(w, at_str_from(field), err);
}

at_code at_csv_write_number(at_csv_writer *w, const char *text, size_t len, at_error *err)
{
    return at_csv_write_field(w, at_str_make(text, len), err);
}

at_code at_csv_write_int64(at_csv_writer *w, int64_t value, at_error *err)
{
    at_code code = begin_field(w, err);
    if (code == AT_OK)
        code = reserve(w, 20, err);
    if (code != AT_OK)
        return code;
    char digits[20];
    size_t n = 0;
    uint64_t u = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (value < 0)
        w->buf[w->len++] = '-';
    while (n)
        w->buf[w->len++] = digits[--n];
    return AT_OK;
}

at_code at_csv_end_record(at_csv_writer *w, at_error *err)
{
    if (w->sticky != AT_OK)
        return repeat_sticky(w, err);
    if (w->fields_in_record == 0)
        return at_fail(err, AT_ERR_INVALID, w->name, "write at least one field",
                       "a CSV record cannot be empty");
    at_code code = reserve(w, 4, err);
    if (code != AT_OK)
        return code;
    if (w->fields_in_record == 1 && w->lone_empty) { /* else it reads back as a blank line */
        w->buf[w->len++] = '"';
        w->buf[w->len++] = '"';
    }
    if (w->crlf)
        w->buf[w->len++] = '\r';
    w->buf[w->len++] = '\n';
    w->fields_in_record = 0;
    w->lone_empty = false;
    return AT_OK;
}

at_code at_csv_write_record(at_csv_writer *w, const at_str *fields, size_t n, at_error *err)
{
    for (size_t i = 0; i < n; i++) {
        at_code code = at_csv_write_field(w, fields[i], err);
        if (code != AT_OK)
            return code;
    }
    return at_csv_end_record(w, err);
}

at_code at_csv_write_cstrs(at_csv_writer *w, const char *const *fields, size_t n, at_error *err)
{
    for (size_t i = 0; i < n; i++) {
        at_code code = at_csv_write_field(w, at_str_from(fields[i]), err);
        if (code != AT_OK)
            return code;
    }
    return at_csv_end_record(w, err);
}
