/* api_imports.c - importing CSV files through the API: the files come as a multipart/form-data
 * upload (each file part named by its canonical file name, people.csv ...) or as JSON
 * ({"files": {"people.csv": "id,name,...\n..."}, "reason": ..., "dry_run": ...}); they are
 * written to a private temporary directory and imported with the importer the CLI uses
 * (import/import.h), all or nothing. Problems come back one per entry, each also as the exact
 * text `attain import` prints. The list of past imports is the store's imports record. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/import.h"
#include "web/api.h"

#define IMPORT_FILES_MAX 40

/* A file name the importer knows: lower-case letters, digits and '_' then ".csv". */
static bool file_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 5 || n > 64 || strcmp(name + n - 4, ".csv") != 0)
        return false;
    for (size_t i = 0; i < n - 4; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '_'))
            return false;
    return true;
}

static at_code write_file(const char *dir, const char *name, const char *data, size_t length,
                          at_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return errno == EEXIST
                   ? at_fail(err, AT_ERR_INVALID, name, "send each file once",
                             "%s is in the upload twice", name)
                   : at_fail(err, AT_ERR_IO, NULL, NULL, "cannot write an uploaded file");
    size_t done = 0;
    while (done < length) {
        ssize_t w = write(fd, data + done, length - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return at_fail(err, AT_ERR_IO, NULL, NULL, "cannot write an uploaded file");
        }
        done += (size_t)w;
    }
    if (close(fd) != 0)
        return at_fail(err, AT_ERR_IO, NULL, NULL, "cannot write an uploaded file");
    return AT_OK;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

static json_t *problem_json(const at_error *e)
{
    char buf[AT_ERROR_WHERE_MAX + AT_ERROR_MESSAGE_MAX + AT_ERROR_HINT_MAX + 32];
    at_error_format(e, buf, sizeof buf);
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(at_code_name(e->code)));
    json_object_set_new(o, "where", json_string(e->where));
    json_object_set_new(o, "message", json_string(e->message));
    json_object_set_new(o, "hint", e->hint[0] ? json_string(e->hint) : json_null());
    json_object_set_new(o, "text", json_string(buf));
    return o;
}

/* Writes the upload's files into dir; *count files, *reason and *dry_run from the fields. */
static at_code save_upload(at_web_request *req, const char *dir, size_t *count,
                           const char **reason, bool *dry_run, at_error *err)
{
    *count = 0;
    *reason = NULL;
    *dry_run = false;
    if (at_web_is_json_type(req->content_type)) {
        json_t *body;
        at_code rc = at_web_body_object(req, &body, err);
        if (rc == AT_OK)
            rc = at_web_body_string(body, "reason", false, 1000, reason, err);
        if (rc != AT_OK)
            return rc;
        json_t *dr = json_object_get(body, "dry_run");
        if (dr && !json_is_boolean(dr))
            return at_fail(err, AT_ERR_INVALID, "body.dry_run", NULL,
                           "dry_run must be true or false");
        *dry_run = json_is_true(dr);
        json_t *files = json_object_get(body, "files");
        if (!json_is_object(files) || json_object_size(files) == 0)
            return at_fail(err, AT_ERR_INVALID, "body.files",
                           "send {\"files\": {\"people.csv\": \"id,name,...\\n...\"}}",
                           "files must be an object of file names and their text");
        const char *name;
        json_t *text;
        json_object_foreach(files, name, text)
        {
            if (!file_name_ok(name))
                return at_fail(err, AT_ERR_INVALID, "body.files",
                               "name files as docs/import.md does: people.csv, ...",
                               "'%.64s' is not a file name the importer knows", name);
            if (!json_is_string(text))
                return at_fail(err, AT_ERR_INVALID, "body.files", NULL,
                               "the text of %s must be a string", name);
            if (*count == IMPORT_FILES_MAX)
                return at_fail(err, AT_ERR_INVALID, "body.files", NULL,
                               "more than %d files", IMPORT_FILES_MAX);
            rc = write_file(dir, name, json_string_value(text), json_string_length(text), err);
            if (rc != AT_OK)
                return rc;
            (*count)++;
        }
        return AT_OK;
    }
    at_web_part *parts;
    size_t n;
    at_code rc = at_web_multipart_parse(req->content_type, req->body, req->body_length,
                                        req->arena, &parts, &n, err);
    if (rc != AT_OK)
        return rc == AT_ERR_INVALID && !req->content_type ? AT_ERR_USAGE : rc;
    for (size_t i = 0; i < n; i++) {
        const at_web_part *p = &parts[i];
        if (!p->filename) {
            if (strcmp(p->name, "reason") == 0) {
                *reason = at_arena_strndup(req->arena, p->data, p->length > 1000 ? 1000
                                                                                 : p->length);
            } else if (strcmp(p->name, "dry_run") == 0) {
                *dry_run = p->length == 4 && memcmp(p->data, "true", 4) == 0;
            } else {
                return at_fail(err, AT_ERR_INVALID, p->name, "send files, reason and dry_run",
                               "unknown form field '%.64s'", p->name);
            }
            continue;
        }
        /* the file's own name, without any directory a browser put in front */
        const char *base = strrchr(p->filename, '/');
        base = base ? base + 1 : p->filename;
        const char *bs = strrchr(base, '\\');
        base = bs ? bs + 1 : base;
        if (!file_name_ok(base))
            return at_fail(err, AT_ERR_INVALID, p->name,
                           "name files as docs/import.md does: people.csv, ...",
                           "'%.64s' is not a file name the importer knows", base);
        if (*count == IMPORT_FILES_MAX)
            return at_fail(err, AT_ERR_INVALID, "body", NULL, "more than %d files",
                           IMPORT_FILES_MAX);
        rc = write_file(dir, base, p->data, p->length, err);
        if (rc != AT_OK)
            return rc;
        (*count)++;
    }
    if (*count == 0)
        return at_fail(err, AT_ERR_INVALID, "body", "attach CSV files (people.csv, ...)",
                       "the upload has no files");
    return AT_OK;
}

at_code at_api_import(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/attain-upload-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return at_fail(err, AT_ERR_IO, NULL, NULL, "cannot make a directory for the upload");
    size_t files = 0;
    const char *reason = NULL;
    bool dry_run = false;
    at_code rc = save_upload(req, dir, &files, &reason, &dry_run, err);
    if (rc != AT_OK) {
        remove_dir(dir);
        return rc;
    }
    at_import_options opts = {.actor = req->actor, .reason = reason, .dry_run = dry_run};
    at_import_result result;
    at_import_result_init(&result);
    const char *paths[1] = {dir};
    rc = at_import_run(req->store, paths, 1, &opts, &result, err);
    remove_dir(dir);
    json_t *o = json_object();
    if (rc == AT_ERR_INVALID && result.errors.total > 0) {
        json_t *problems = json_array();
        for (size_t i = 0; i < result.errors.count; i++)
            json_array_append_new(problems, problem_json(&result.errors.items[i]));
        json_t *e = json_object();
        json_object_set_new(e, "code", json_string("invalid"));
        json_object_set_new(e, "message",
                            json_string(at_arena_printf(req->arena,
                                                        "the files have %zu problem%s; nothing "
                                                        "was written",
                                                        result.errors.total,
                                                        result.errors.total == 1 ? "" : "s")));
        json_object_set_new(e, "field", json_string("files"));
        json_object_set_new(o, "error", e);
        json_object_set_new(o, "problems", problems);
        json_object_set_new(o, "problems_total", json_integer((json_int_t)result.errors.total));
        at_import_result_free(&result);
        return at_web_reply_json(res, 422, o, err);
    }
    if (rc != AT_OK) {
        json_decref(o);
        at_import_result_free(&result);
        return rc;
    }
    json_t *tallies = json_array();
    for (size_t i = 0; i < result.tally_count; i++) {
        const at_import_tally *t = &result.tallies[i];
        if (!t->rows && !t->dropped)
            continue;
        json_t *x = json_object();
        json_object_set_new(x, "entity", json_string(t->entity->name));
        json_object_set_new(x, "rows", json_integer(t->rows));
        json_object_set_new(x, "inserted", json_integer(t->inserted));
        json_object_set_new(x, "updated", json_integer(t->updated));
        json_object_set_new(x, "unchanged", json_integer(t->unchanged));
        json_array_append_new(tallies, x);
    }
    json_t *notes = json_array();
    for (size_t i = 0; i < result.note_count; i++)
        json_array_append_new(notes, json_string(result.notes[i]));
    json_object_set_new(o, "import", result.import_id ? json_integer(result.import_id)
                                                      : json_null());
    json_object_set_new(o, "dry_run", json_boolean(dry_run));
    json_object_set_new(o, "committed", json_boolean(result.committed));
    json_object_set_new(o, "files", json_integer((json_int_t)files));
    json_object_set_new(o, "rows", json_integer(result.rows_written));
    json_object_set_new(o, "tallies", tallies);
    json_object_set_new(o, "notes", notes);
    at_import_result_free(&result);
    return at_web_reply_json(res, dry_run ? 200 : 201, o, err);
}

typedef struct imports_ctx {
    json_t *items;
} imports_ctx;

static at_code add_import(void *ctx, const at_import_record *r, at_error *err)
{
    (void)err;
    imports_ctx *c = ctx;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "started_at", at_web_json_time(r->started));
    json_object_set_new(o, "finished_at", at_web_json_time(r->finished));
    json_object_set_new(o, "actor", at_web_json_str(r->actor));
    json_object_set_new(o, "reason", at_web_json_str(r->reason));
    json_object_set_new(o, "status", at_web_json_str(r->status));
    json_t *files = r->files ? json_loads(r->files, 0, NULL) : NULL;
    /* an upload's files were in a temporary directory: only their names mean anything */
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        const char *name = json_string_value(json_object_get(f, "name"));
        const char *up = name ? strstr(name, "/attain-upload-") : NULL;
        const char *base = up ? strrchr(up, '/') : NULL;
        if (up && base && base > up)
            json_object_set_new(f, "name", json_string(base + 1));
    }
    json_object_set_new(o, "files", files ? files : json_array());
    json_t *counts = json_array();
    for (i = 0; i < r->count_count; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "entity", json_string(r->counts[i].entity));
        json_object_set_new(x, "inserted", json_integer(r->counts[i].inserted));
        json_object_set_new(x, "updated", json_integer(r->counts[i].updated));
        json_object_set_new(x, "unchanged", json_integer(r->counts[i].unchanged));
        json_array_append_new(counts, x);
    }
    json_object_set_new(o, "counts", counts);
    json_array_append_new(c->items, o);
    return AT_OK;
}

at_code at_api_imports_list(at_web_request *req, at_web_response *res, at_error *err)
{
    size_t limit;
    at_code rc = at_api_limit(req, &limit, err);
    if (rc != AT_OK)
        return rc;
    imports_ctx c = {json_array()};
    rc = at_store_imports_each(req->store, limit, add_import, &c, err);
    if (rc != AT_OK) {
        json_decref(c.items);
        return rc;
    }
    return at_api_reply_page(res, c.items, NULL, err);
}
