/* api_runs.c - calculation runs through the API. Starting one answers at once (202) with a
 * job; the run itself (pay/run.h: load, engine, save; seconds to minutes) happens on a worker
 * thread with its own store handle, one run at a time (a second start while one runs is 409).
 * GET /api/v1/jobs/:id says how the job is going (running, done with its report, or failed
 * with the error and problems as the CLI prints them) and, as soon as the store has it, the
 * run's id; GET /api/v1/runs and /runs/:id read the calc_runs records themselves. Jobs live
 * in memory (a restart forgets them; the runs stay in the store). */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pay/run.h"
#include "store/pay_store.h"
#include "web/api.h"
#include "web/server.h"

#define JOB_PAYEES_MAX 256
#define JOB_PROBLEMS_MAX 20

typedef struct job {
    int64_t id;
    char status[16];                 /* running, done, failed */
    char period[32], from[32];
    char actor[96];                  /* "api:ana job 3": unique, finds the calc_runs row */
    char *payees[JOB_PAYEES_MAX];
    size_t payee_count;
    at_time started, finished;
    at_pay_run_report report;
    at_error error;
    char *problems[JOB_PROBLEMS_MAX];
    size_t problem_count, problem_total;
    char db_path[4096];
} job;

struct at_web_jobs {
    pthread_mutex_t lock;
    job **items;
    size_t count, cap;
    pthread_t thread;
    bool has_thread;
    bool running;
};

at_web_jobs *at_web_jobs_new(void)
{
    at_web_jobs *j = calloc(1, sizeof *j);
    if (j)
        pthread_mutex_init(&j->lock, NULL);
    return j;
}

static void job_free(job *jb)
{
    for (size_t i = 0; i < jb->payee_count; i++)
        free(jb->payees[i]);
    for (size_t i = 0; i < jb->problem_count; i++)
        free(jb->problems[i]);
    free(jb);
}

void at_web_jobs_free(at_web_jobs *jobs)
{
    if (!jobs)
        return;
    if (jobs->has_thread)
        pthread_join(jobs->thread, NULL);
    for (size_t i = 0; i < jobs->count; i++)
        job_free(jobs->items[i]);
    free(jobs->items);
    pthread_mutex_destroy(&jobs->lock);
    free(jobs);
}

typedef struct worker_arg {
    at_web_jobs *jobs;
    job *job;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    job *jb = w->job;
    at_web_jobs *jobs = w->jobs;
    free(w);
    at_error err;
    at_error_clear(&err);
    at_error_list problems;
    at_error_list_init(&problems, JOB_PROBLEMS_MAX);
    at_pay_run_report rep;
    memset(&rep, 0, sizeof rep);
    at_store *store = NULL;
    at_code rc = at_store_open(jb->db_path, NULL, &store, &err);
    if (rc == AT_OK) {
        at_pay_run_options o = {
            .period = jb->period,
            .from = jb->from[0] ? jb->from : NULL,
            .payees = (const char *const *)jb->payees,
            .payee_count = jb->payee_count,
            .actor = jb->actor,
            .keep_explanations = true,
        };
        rc = at_pay_run(store, &o, &rep, &problems, &err);
    }
    at_store_close(store);
    pthread_mutex_lock(&jobs->lock);
    jb->report = rep;
    jb->error = err;
    jb->finished = time(NULL);
    snprintf(jb->status, sizeof jb->status, "%s", rc == AT_OK ? "done" : "failed");
    for (size_t i = 0; i < problems.count && jb->problem_count < JOB_PROBLEMS_MAX; i++) {
        char buf[AT_ERROR_WHERE_MAX + AT_ERROR_MESSAGE_MAX + AT_ERROR_HINT_MAX + 32];
        at_error_format(&problems.items[i], buf, sizeof buf);
        char *copy = strdup(buf);
        if (copy)
            jb->problems[jb->problem_count++] = copy;
    }
    jb->problem_total = problems.total;
    jobs->running = false;
    pthread_mutex_unlock(&jobs->lock);
    at_error_list_free(&problems);
    return NULL;
}

/* job as JSON; call with the lock held. run_id from the store while running. */
static json_t *job_json(const job *jb, int64_t run_id)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(jb->id));
    json_object_set_new(o, "status", json_string(jb->status));
    json_object_set_new(o, "period", json_string(jb->period));
    json_object_set_new(o, "started_at", at_web_json_time(jb->started));
    json_object_set_new(o, "finished_at", at_web_json_time(jb->finished));
    int64_t rid = jb->report.run_id ? jb->report.run_id : run_id;
    json_object_set_new(o, "run", rid ? json_integer(rid) : json_null());
    if (!strcmp(jb->status, "done")) {
        const at_pay_run_report *r = &jb->report;
        json_t *rep = json_object();
        json_object_set_new(rep, "first_month", json_string(r->first_month));
        json_object_set_new(rep, "last_month", json_string(r->last_month));
        json_object_set_new(rep, "input_sha256", json_string(r->input_sha256));
        json_object_set_new(rep, "people", json_integer((json_int_t)r->people));
        json_object_set_new(rep, "payees", json_integer((json_int_t)r->payees));
        json_object_set_new(rep, "transactions", json_integer((json_int_t)r->transactions));
        json_object_set_new(rep, "credits", json_integer((json_int_t)r->credits));
        json_object_set_new(rep, "lines", json_integer((json_int_t)r->lines));
        json_object_set_new(rep, "seconds", json_real(r->seconds_total));
        json_object_set_new(o, "report", rep);
    }
    if (!strcmp(jb->status, "failed")) {
        json_t *e = json_object();
        json_object_set_new(e, "code", json_string(at_code_name(jb->error.code)));
        json_object_set_new(e, "message", json_string(jb->error.message));
        json_object_set_new(e, "hint", json_string(jb->error.hint));
        json_object_set_new(o, "error", e);
    }
    json_t *p = json_array();
    for (size_t i = 0; i < jb->problem_count; i++)
        json_array_append_new(p, json_string(jb->problems[i]));
    json_object_set_new(o, "problems", p);
    json_object_set_new(o, "problems_total", json_integer((json_int_t)jb->problem_total));
    return o;
}

at_code at_api_runs_start(at_web_request *req, at_web_response *res, at_error *err)
{
    at_web_jobs *jobs = req->server->jobs;
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    if (rc != AT_OK)
        return rc;
    const char *period, *from;
    rc = at_web_body_string(body, "period", true, 16, &period, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "from", false, 16, &from, err);
    if (rc != AT_OK)
        return rc;
    json_t *payees = json_object_get(body, "payees");
    if (payees && !json_is_null(payees) &&
        (!json_is_array(payees) || json_array_size(payees) > JOB_PAYEES_MAX))
        return at_fail(err, AT_ERR_INVALID, "body.payees", NULL,
                       "payees must be a list of at most %d people ids", JOB_PAYEES_MAX);
    job *jb = calloc(1, sizeof *jb);
    if (!jb)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    snprintf(jb->period, sizeof jb->period, "%s", period);
    snprintf(jb->from, sizeof jb->from, "%s", from ? from : "");
    snprintf(jb->db_path, sizeof jb->db_path, "%s", req->server->db_path);
    size_t i;
    json_t *v;
    json_array_foreach(payees, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 128) {
            job_free(jb);
            return at_fail(err, AT_ERR_INVALID, "body.payees", NULL,
                           "payees[%zu] must be a person's id", i);
        }
        jb->payees[jb->payee_count] = strdup(json_string_value(v));
        if (!jb->payees[jb->payee_count]) {
            job_free(jb);
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        }
        jb->payee_count++;
    }
    pthread_mutex_lock(&jobs->lock);
    if (jobs->running) {
        pthread_mutex_unlock(&jobs->lock);
        job_free(jb);
        return at_fail(err, AT_ERR_CONFLICT, NULL, "wait for it to finish (GET /api/v1/jobs)",
                       "a calculation run is already running");
    }
    if (jobs->count == jobs->cap) {
        size_t cap = jobs->cap ? jobs->cap * 2 : 16;
        job **items = realloc(jobs->items, cap * sizeof *items);
        if (!items) {
            pthread_mutex_unlock(&jobs->lock);
            job_free(jb);
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        }
        jobs->items = items;
        jobs->cap = cap;
    }
    if (jobs->has_thread) { /* the previous run has finished: collect its thread */
        pthread_join(jobs->thread, NULL);
        jobs->has_thread = false;
    }
    jb->id = (int64_t)jobs->count + 1;
    snprintf(jb->actor, sizeof jb->actor, "%.70s job %" PRId64, req->actor, jb->id);
    snprintf(jb->status, sizeof jb->status, "running");
    jb->started = req->now;
    worker_arg *w = malloc(sizeof *w);
    if (!w) {
        pthread_mutex_unlock(&jobs->lock);
        job_free(jb);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    }
    w->jobs = jobs;
    w->job = jb;
    jobs->items[jobs->count++] = jb;
    jobs->running = true;
    if (pthread_create(&jobs->thread, NULL, worker, w) != 0) {
        jobs->running = false;
        snprintf(jb->status, sizeof jb->status, "failed");
        at_fail(&jb->error, AT_ERR_INTERNAL, NULL, NULL, "could not start a thread");
        free(w);
    } else {
        jobs->has_thread = true;
    }
    json_t *o = job_json(jb, 0);
    pthread_mutex_unlock(&jobs->lock);
    res->location = at_arena_printf(req->arena, "/api/v1/jobs/%" PRId64, jb->id);
    return at_web_reply_json(res, 202, o, err);
}

static json_t *run_json(const at_store_run_record *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "period", at_web_json_str(r->period));
    json_object_set_new(o, "first_month", at_web_json_str(r->first_month));
    json_object_set_new(o, "last_month", at_web_json_str(r->last_month));
    json_t *payees = r->payees ? json_loads(r->payees, 0, NULL) : NULL;
    json_object_set_new(o, "payees", payees ? payees : json_null());
    json_object_set_new(o, "status", at_web_json_str(r->status));
    json_object_set_new(o, "started_at", at_web_json_time(r->started_at));
    json_object_set_new(o, "finished_at", at_web_json_time(r->finished_at));
    json_object_set_new(o, "actor", at_web_json_str(r->actor));
    json_object_set_new(o, "reason", at_web_json_str(r->reason));
    json_object_set_new(o, "input_sha256", at_web_json_str(r->input_sha256));
    json_t *plans = r->plan_versions ? json_loads(r->plan_versions, 0, NULL) : NULL;
    json_object_set_new(o, "plan_versions", plans ? plans : json_array());
    json_t *secs = r->seconds ? json_loads(r->seconds, 0, NULL) : NULL;
    json_object_set_new(o, "seconds", secs ? secs : json_object());
    json_object_set_new(o, "message", at_web_json_str(r->message));
    json_object_set_new(o, "people", json_integer(r->people));
    json_object_set_new(o, "transactions", json_integer(r->transactions));
    json_object_set_new(o, "credits", json_integer(r->credits));
    json_object_set_new(o, "lines", json_integer(r->lines));
    return o;
}

typedef struct run_page {
    json_t *items;
    int64_t last;
    const char *actor;   /* find: the run of this actor */
    int64_t found;
} run_page;

static at_code add_run(void *ctx, const at_store_run_record *r, at_error *err)
{
    (void)err;
    run_page *p = ctx;
    if (p->actor) {
        if (!p->found && r->actor && strcmp(r->actor, p->actor) == 0)
            p->found = r->id;
        return AT_OK;
    }
    json_array_append_new(p->items, run_json(r));
    p->last = r->id;
    return AT_OK;
}

/* The calc_runs id of a running job (by its unique actor) among the latest runs; 0 when its
 * row is not there yet (it appears once the run's data is loaded). */
static int64_t running_run_id(at_web_request *req, const char *actor)
{
    run_page p = {NULL, 0, actor, 0};
    bool more = false;
    if (at_web_runs_each(req->store, 0, 20, add_run, &p, &more, NULL) != AT_OK)
        return 0;
    return p.found;
}

at_code at_api_runs_list(at_web_request *req, at_web_response *res, at_error *err)
{
    size_t limit;
    int64_t before;
    at_code rc = at_api_limit(req, &limit, err);
    if (rc == AT_OK)
        rc = at_web_query_int(req, "before", 1, INT64_MAX, 0, &before, err);
    if (rc != AT_OK)
        return rc;
    run_page p = {json_array(), 0, NULL, 0};
    bool more = false;
    rc = at_web_runs_each(req->store, before, limit, add_run, &p, &more, err);
    if (rc != AT_OK) {
        json_decref(p.items);
        return rc;
    }
    return at_api_reply_page(res, p.items,
                             more ? json_string(at_arena_printf(req->arena, "%" PRId64, p.last))
                                  : NULL,
                             err);
}

at_code at_api_run_get(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    if (rc != AT_OK)
        return rc;
    at_store_run_record r;
    bool found = false;
    rc = at_store_run_get(req->store, id, req->arena, &r, &found, err);
    if (rc != AT_OK)
        return rc;
    if (!found)
        return at_fail(err, AT_ERR_NOT_FOUND, "id", "GET /api/v1/runs lists them",
                       "there is no run %" PRId64, id);
    return at_web_reply_json(res, 200, run_json(&r), err);
}

at_code at_api_job_get(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    if (rc != AT_OK)
        return rc;
    at_web_jobs *jobs = req->server->jobs;
    char actor[96] = "";
    bool running = false;
    pthread_mutex_lock(&jobs->lock);
    if (id <= (int64_t)jobs->count) {
        job *jb = jobs->items[id - 1];
        snprintf(actor, sizeof actor, "%s", jb->actor);
        running = !strcmp(jb->status, "running");
    }
    pthread_mutex_unlock(&jobs->lock);
    if (!actor[0])
        return at_fail(err, AT_ERR_NOT_FOUND, "id", NULL, "there is no job %" PRId64, id);
    int64_t run_id = running ? running_run_id(req, actor) : 0;
    pthread_mutex_lock(&jobs->lock);
    json_t *o = job_json(jobs->items[id - 1], run_id);
    pthread_mutex_unlock(&jobs->lock);
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_latest_month(at_web_request *req, at_web_response *res, at_error *err)
{
    char month[16];
    int64_t run_id = 0;
    bool everyone = false, found = false;
    at_code rc = at_web_latest_month(req->store, month, &run_id, &everyone, &found, err);
    if (rc != AT_OK)
        return rc;
    if (!found)
        return at_fail(err, AT_ERR_NOT_FOUND, NULL,
                       "sales ops starts one (POST /api/v1/runs, or attain calc)",
                       "no calculation run has finished yet");
    json_t *o = json_object();
    json_object_set_new(o, "month", json_string(month));
    json_object_set_new(o, "run", json_integer(run_id));
    json_object_set_new(o, "everyone", json_boolean(everyone));
    return at_web_reply_json(res, 200, o, err);
}
