/* error.h - the one error type of attain.
 *
 * Every fallible function returns an at_code and, when it fails, fills an at_error (if the
 * caller passed one) with a message for people: what is wrong, where (file:line:column, or a
 * field path such as "transactions.csv:12:5 (column amount)"), and how to fix it.
 * Library code never exits or prints; only main does. */
#ifndef ATTAIN_CORE_ERROR_H
#define ATTAIN_CORE_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef enum at_code {
    AT_OK = 0,
    AT_ERR_INVALID,   /* a value or a piece of syntax breaks a rule */
    AT_ERR_OVERFLOW,  /* an exact number does not fit its type */
    AT_ERR_NOT_FOUND, /* a reference names something that does not exist */
    AT_ERR_CONFLICT,  /* a duplicate, a constraint, a state that forbids the change */
    AT_ERR_LOCKED,    /* the data is closed (a closed period, a busy database) */
    AT_ERR_IO,        /* a file, directory or socket operation failed */
    AT_ERR_NOMEM,     /* out of memory */
    AT_ERR_STORE,     /* the database failed */
    AT_ERR_USAGE,     /* the command line is wrong */
    AT_ERR_INTERNAL,  /* a bug in attain: please report it */
} at_code;

#define AT_ERROR_WHERE_MAX 256
#define AT_ERROR_MESSAGE_MAX 512
#define AT_ERROR_HINT_MAX 256

typedef struct at_error {
    at_code code;
    char where[AT_ERROR_WHERE_MAX];     /* "" when there is no place to point at */
    char message[AT_ERROR_MESSAGE_MAX]; /* what is wrong */
    char hint[AT_ERROR_HINT_MAX];       /* how to fix it; "" when nothing useful can be said */
} at_error;

/* Fills *err (when err is not NULL) and returns code, so that callers can write
 *   return at_fail(err, AT_ERR_INVALID, where, "use YYYY-MM-DD", "bad date '%s'", s);
 * where and hint may be NULL. Text longer than the buffers is cut, never overrun. */
at_code at_fail(at_error *err, at_code code, const char *where, const char *hint,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
at_code at_vfail(at_error *err, at_code code, const char *where, const char *hint,
                 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Fills *err with the C library's errno text for an operation on a path. */
at_code at_fail_errno(at_error *err, at_code code, const char *path, const char *doing);

void at_error_clear(at_error *err);

/* Puts "(context) " in front of where, e.g. a file name in front of a field path. */
void at_error_prefix_where(at_error *err, const char *context);

/* Puts a then b in front of err->message ("amount: " + message), cutting the end of the
 * message when it does not fit. */
void at_error_prefix_message(at_error *err, const char *a, const char *b);

/* The code's stable name ("invalid", "overflow", ...), for JSON and logs. */
const char *at_code_name(at_code code);

/* "where: error: message\n  hint: ...\n" (parts that are empty are left out). Returns the
 * length it would have written, like snprintf. */
int at_error_format(const at_error *err, char *buf, size_t size);

/* A list of errors for work that reports every problem (imports): keeps the first `limit`
 * in full and counts the rest. */
typedef struct at_error_list {
    at_error *items;
    size_t count;    /* kept */
    size_t capacity;
    size_t limit;    /* keep at most this many; 0 means 100 */
    size_t total;    /* seen, kept or not */
} at_error_list;

void at_error_list_init(at_error_list *list, size_t limit);
void at_error_list_free(at_error_list *list);
/* Records a copy of *err. Returns AT_ERR_NOMEM only if memory ran out. */
at_code at_error_list_add(at_error_list *list, const at_error *err);
at_code at_error_list_addf(at_error_list *list, at_code code, const char *where, const char *hint,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
