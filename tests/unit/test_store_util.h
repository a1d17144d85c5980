/* test_store_util.h - what the store's tests share: fresh database paths under
 * $ATTAIN_TEST_TMP, removing a database with its -wal and -shm files, copying a file, and a
 * text dump of every table (to compare a database's content before and after). */
#ifndef ATTAIN_TEST_STORE_UTIL_H
#define ATTAIN_TEST_STORE_UTIL_H

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline void util_mkdirs(const char *dir)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0777);
            *p = '/';
        }
    mkdir(buf, 0777);
}

/* A path where no file exists yet, unique in this run; free() it. */
static inline char *util_db_path(const char *name)
{
    const char *dir = getenv("ATTAIN_TEST_TMP");
    if (!dir || !dir[0])
        dir = "/tmp";
    util_mkdirs(dir);
    size_t n = strlen(dir) + strlen(name) + 32;
    char *path = malloc(n);
    if (!path)
        abort();
    snprintf(path, n, "%s/%s-XXXXXX", dir, name);
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    unlink(path);
    return path;
}

static inline void util_remove_db(const char *path)
{
    char buf[1100];
    unlink(path);
    snprintf(buf, sizeof buf, "%.1000s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%.1000s-shm", path);
    unlink(buf);
}

static inline int util_copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return -1;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    return fclose(out);
}

typedef struct util_text {
    char *p;
    size_t len, cap;
} util_text;

static inline void util_add(util_text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        t->p = realloc(t->p, cap);
        if (!t->p)
            abort();
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

/* Every table's schema and rows (in rowid order) as text; free() it. NULL if it cannot be read. */
static inline char *util_dump(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    util_text t = {0};
    util_add(&t, "", 0);
    sqlite3_stmt *tables;
    sqlite3_prepare_v2(db,
                       "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') "
                       "ORDER BY name",
                       -1, &tables, NULL);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        const char *sql = (const char *)sqlite3_column_text(tables, 1);
        util_add(&t, "== ", 3);
        util_add(&t, name, strlen(name));
        util_add(&t, "\n", 1);
        if (sql)
            util_add(&t, sql, strlen(sql));
        util_add(&t, "\n", 1);
        if (!sql || strncmp(sql, "CREATE TABLE", 12) != 0)
            continue;
        char q[512];
        snprintf(q, sizeof q, "SELECT * FROM \"%s\" ORDER BY rowid", name);
        sqlite3_stmt *rows;
        if (sqlite3_prepare_v2(db, q, -1, &rows, NULL) != SQLITE_OK) {
            snprintf(q, sizeof q, "SELECT * FROM \"%s\"", name);
            sqlite3_prepare_v2(db, q, -1, &rows, NULL);
        }
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(rows); c++) {
                const char *v = (const char *)sqlite3_column_text(rows, c);
                if (c)
                    util_add(&t, "|", 1);
                if (v)
                    util_add(&t, v, strlen(v));
                else
                    util_add(&t, "NULL", 4);
            }
            util_add(&t, "\n", 1);
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return t.p;
}

/* Runs one statement on the file directly (not through the store). */
static inline int util_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* One integer from a query on the file directly. */
static inline long long util_int(const char *path, const char *sql)
{
    sqlite3 *db;
    long long v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

#endif
