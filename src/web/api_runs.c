/* api_runs.c - calculation runs through the API. Starting one answers at once (202) with a
 * job; the run itself (pay/run.h: load, engine, save; seconds to minutes) happens on a worker
 * thread with its own store handle, one run at a time (a second start while one runs is 409).
 * GET /api/v1/jobs/:id says how the job is going (running, done with its report, or failed
 * with the error and problems as the CLI prints them) and, as soon as the store has it, the
 * run's id; GET /api/v1/runs and /runs/:id read the calc_runs records themselves. Jobs live
 * in memory (a restart forgets them; the runs stay in the store).
 *
 * While a job runs its progress is given by phase (load, credit, calculate, save): the pay run
 * tells the job each phase as it starts (pay/run.h on_phase; observed), and the fraction done
 * is the time elapsed against the phases of the latest finished run of the same period
 * (estimated, with the run it is based on), kept inside the phase observed. */
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
    bool incremental;                /* recompute only the payees whose inputs changed */
    char actor[96];                  /* "api:ana job 3": unique, finds the calc_runs row */
    char *payees[JOB_PAYEES_MAX];
    size_t payee_count;
    at_time started, finished;
    at_pay_run_report report;
    at_error error;
    char *problems[JOB_PROBLEMS_MAX];
    size_t problem_count, problem_total;
    char db_path[4096];
    char phase[16];                  /* the phase the run last said it started ("" before) */
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

typedef struct job_phase_context {
    at_web_jobs *jobs;
    job *job;
} job_phase_context;

/* pay/run.h on_phase: the job's phase, read by GET /jobs/:id. "count" (a run in passes counting
 * its credits) is part of crediting. */
static void job_phase(void *context, const char *phase)
{
    job_phase_context *pc = context;
    pthread_mutex_lock(&pc->jobs->lock);
    snprintf(pc->job->phase, sizeof pc->job->phase, "%s",
             strcmp(phase, "count") == 0 ? "credit" : phase);
    pthread_mutex_unlock(&pc->jobs->lock);
}

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
    job_phase_context pc = {jobs, jb};
    if (rc == AT_OK) {
        at_pay_run_options o = {
            .period = jb->period,
            .from = jb->from[0] ? jb->from : NULL,
            .payees = (const char *const *)jb->payees,
            .payee_count = jb->payee_count,
            .actor = jb->actor,
            .keep_explanations = true,
            .incremental = jb->incremental,
            .on_phase = job_phase,
            .phase_context = &pc,
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
    json_object_set_new(o, "incremental", json_boolean(jb->incremental));
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
        json_object_set_new(rep, "incremental", json_boolean(r->incremental));
        json_object_set_new(rep, "base_run", r->incremental ? json_integer(r->base_run_id)
                                                            : json_null());
        json_object_set_new(rep, "recomputed", r->incremental
                                                   ? json_integer((json_int_t)r->recomputed)
                                                   : json_null());
        json_object_set_new(rep, "full_reason",
                            r->full_reason[0] ? json_string(r->full_reason) : json_null());
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
    json_t *incremental = json_object_get(body, "incremental");
    if (incremental && !json_is_boolean(incremental) && !json_is_null(incremental))
        return at_fail(err, AT_ERR_INVALID, "body.incremental", "write true or false",
                       "incremental must be true or false");
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
    jb->incremental = json_is_true(incremental);
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
    const char *period;  /* and the latest done run of this period (for everyone: whole) */
    bool whole;
    int64_t previous;
    json_t *previous_seconds;
} run_page;

static at_code add_run(void *ctx, const at_store_run_record *r, at_error *err)
{
    (void)err;
    run_page *p = ctx;
    if (p->actor) {
        if (!p->found && r->actor && strcmp(r->actor, p->actor) == 0)
            p->found = r->id;
        if (!p->previous && p->period && r->status && strcmp(r->status, "done") == 0 &&
            r->period && strcmp(r->period, p->period) == 0 && (r->payees == NULL) == p->whole &&
            r->seconds) {
            p->previous_seconds = json_loads(r->seconds, 0, NULL);
            if (json_is_object(p->previous_seconds)) {
                p->previous = r->id;
            } else {
                json_decref(p->previous_seconds);
                p->previous_seconds = NULL;
            }
        }
        return AT_OK;
    }
    json_array_append_new(p->items, run_json(r));
    p->last = r->id;
    return AT_OK;
}

/* A running job's calc_runs id (by its unique actor) among the latest runs, 0 when its row is
 * not there yet (it appears when saving starts), and the latest done run of the same period
 * and scope with its seconds per phase (*seconds: the caller's to json_decref, or NULL). */
static int64_t running_run_id(at_web_request *req, const char *actor, const char *period,
                              bool whole, int64_t *previous, json_t **seconds)
{
    run_page p = {.actor = actor, .period = period, .whole = whole};
    bool more = false;
    at_code rc = at_web_runs_each(req->store, 0, 50, add_run, &p, &more, NULL);
    *previous = rc == AT_OK ? p.previous : 0;
    *seconds = rc == AT_OK ? p.previous_seconds : NULL;
    if (rc != AT_OK)
        json_decref(p.previous_seconds);
    return rc == AT_OK ? p.found : 0;
}

static double phase_seconds(json_t *seconds, const char *name)
{
    json_t *v = json_object_get(seconds, name);
    double d = json_is_number(v) ? json_number_value(v) : 0;
    return d > 0 ? d : 0;
}

json_t *at_api_run_progress(double elapsed, int64_t run_id, int64_t previous, json_t *seconds,
                            const char *reported)
{
    static const char *const phases[] = {"load", "credit", "calculate", "save"};
    double expected[4] = {0, 0, 0, 0};
    double total = 0;
    if (previous && seconds) {
        expected[0] = phase_seconds(seconds, "load") + phase_seconds(seconds, "plans") +
                      phase_seconds(seconds, "digest");
        expected[1] = phase_seconds(seconds, "credit");
        expected[2] = phase_seconds(seconds, "calculate");
        expected[3] = phase_seconds(seconds, "save") + phase_seconds(seconds, "carry");
        total = expected[0] + expected[1] + expected[2] + expected[3];
    }
    const char *phase = NULL;
    double fraction = -1;
    int told = -1;
    for (int i = 0; reported && i < 4; i++)
        if (strcmp(reported, phases[i]) == 0)
            told = i;
    if (told >= 0) {
        /* the phase the run said it started; the estimate only places it within the phase */
        phase = phases[told];
        if (total > 0) {
            double from = 0;
            for (int i = 0; i < told; i++)
                from += expected[i];
            double to = from + expected[told];
            double at = elapsed < from ? from : elapsed > to ? to : elapsed;
            fraction = at / total;
        }
    } else if (run_id > 0) {
        phase = "save";
        if (total > 0) {
            double before_save = expected[0] + expected[1] + expected[2];
            double f = elapsed / total;
            fraction = f < before_save / total ? before_save / total : f;
        }
    } else if (total > 0) {
        double at = 0;
        phase = phases[2];
        for (int i = 0; i < 3; i++) {
            at += expected[i];
            if (elapsed < at) {
                phase = phases[i];
                break;
            }
        }
        double before_save = expected[0] + expected[1] + expected[2];
        fraction = (elapsed < before_save ? elapsed : before_save) / total;
    }
    if (fraction > 0.99)
        fraction = 0.99;
    json_t *o = json_object();
    json_object_set_new(o, "phase", phase ? json_string(phase) : json_null());
    json_object_set_new(o, "observed", json_boolean(told >= 0 || run_id > 0));
    json_object_set_new(o, "elapsed", json_integer((json_int_t)elapsed));
    json_object_set_new(o, "fraction", fraction >= 0 ? json_real(fraction) : json_null());
    json_object_set_new(o, "based_on_run", total > 0 ? json_integer(previous) : json_null());
    json_t *e = json_null();
    if (total > 0) {
        e = json_object();
        for (int i = 0; i < 4; i++)
            json_object_set_new(e, phases[i], json_real(expected[i]));
    }
    json_object_set_new(o, "expected", e);
    return o;
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
    run_page p = {.items = json_array()};
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
    char actor[96] = "", period[32] = "";
    bool running = false, whole = true;
    at_time started = 0;
    char reported[16] = "";
    pthread_mutex_lock(&jobs->lock);
    if (id <= (int64_t)jobs->count) {
        job *jb = jobs->items[id - 1];
        snprintf(actor, sizeof actor, "%s", jb->actor);
        snprintf(period, sizeof period, "%s", jb->period);
        running = !strcmp(jb->status, "running");
        whole = jb->payee_count == 0;
        started = jb->started;
        snprintf(reported, sizeof reported, "%s", jb->phase);
    }
    pthread_mutex_unlock(&jobs->lock);
    if (!actor[0])
        return at_fail(err, AT_ERR_NOT_FOUND, "id", NULL, "there is no job %" PRId64, id);
    int64_t previous = 0;
    json_t *seconds = NULL;
    int64_t run_id = running ? running_run_id(req, actor, period, whole, &previous, &seconds) : 0;
    pthread_mutex_lock(&jobs->lock);
    json_t *o = job_json(jobs->items[id - 1], run_id);
    pthread_mutex_unlock(&jobs->lock);
    if (running)
        json_object_set_new(o, "progress",
                            at_api_run_progress((double)(req->now - started), run_id, previous,
                                                seconds, reported));
    json_decref(seconds);
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
