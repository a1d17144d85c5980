/* test_web_access.c - the row-level rule (web/access.c) on a real store: who may read and write
 * whose pay by role, the manager's team through the effective-dated reporting lines (direct and
 * indirect, lines that start or end around the days asked), what lists show; and the store's
 * users, sessions and API tokens (store/web_store.h), and schema version 4 on an upgraded
 * database. The company is test_pay_store_util.h's: P-VP manages P-M1 and P-X; P-M1 manages
 * P-R1 from 2025-03-15 and P-R2 until 2025-06-30; P-O1 reports to nobody. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_pay_store_util.h"
#include "store/web_store.h"
#include "web/auth.h"
#include "web/web.h"

#define HASH "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$aGFzaA"

static at_store *company;
static char *company_path;

static int setup(void **state)
{
    (void)state;
    company = pay_company(&company_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    at_store_close(company);
    util_remove_db(company_path);
    free(company_path);
    return 0;
}

static int64_t person(const char *ext)
{
    int64_t id = 0;
    bool found = false;
    at_error err;
    assert_int_equal(at_web_person_id(company, ext, &id, &found, &err), AT_OK);
    assert_true(found);
    return id;
}

static at_web_user user_of(at_web_role role, const char *ext)
{
    at_web_user u;
    memset(&u, 0, sizeof u);
    u.id = 1;
    u.role = role;
    if (ext) {
        u.person_id = person(ext);
        snprintf(u.person, sizeof u.person, "%s", ext);
    }
    return u;
}

static bool may(const at_web_user *u, const char *ext, at_day from, at_day to, at_web_access how)
{
    bool allowed = true;
    at_error err;
    assert_int_equal(at_web_may(company, u, person(ext), from, to, how, &allowed, &err), AT_OK);
    return allowed;
}

static void roles_decide(void **state)
{
    (void)state;
    at_day d = pay_day(2025, 4, 15);
    const char *everyone[] = {"P-VP", "P-M1", "P-R1", "P-R2", "P-O1", "P-X"};
    for (int r = AT_ROLE_ADMIN; r <= AT_ROLE_FINANCE; r++) {
        at_web_user u = user_of((at_web_role)r, NULL);
        for (size_t i = 0; i < 6; i++) {
            assert_true(may(&u, everyone[i], d, d, AT_WEB_READ));
            assert_true(may(&u, everyone[i], d, d, AT_WEB_WRITE));
        }
    }
    at_web_user exec = user_of(AT_ROLE_EXECUTIVE, NULL);
    for (size_t i = 0; i < 6; i++) {
        assert_true(may(&exec, everyone[i], d, d, AT_WEB_READ));
        assert_false(may(&exec, everyone[i], d, d, AT_WEB_WRITE));
    }
    /* a rep: themselves only, read and write */
    at_web_user rep = user_of(AT_ROLE_REP, "P-R1");
    for (size_t i = 0; i < 6; i++) {
        bool self = strcmp(everyone[i], "P-R1") == 0;
        assert_int_equal(may(&rep, everyone[i], d, d, AT_WEB_READ), self);
        assert_int_equal(may(&rep, everyone[i], d, d, AT_WEB_WRITE), self);
    }
    /* a rep or manager who names no person, or a disabled user: nobody */
    at_web_user lost = user_of(AT_ROLE_REP, NULL);
    assert_false(may(&lost, "P-R1", d, d, AT_WEB_READ));
    at_web_user lost_manager = user_of(AT_ROLE_MANAGER, NULL);
    assert_false(may(&lost_manager, "P-R1", d, d, AT_WEB_READ));
    at_web_user off = user_of(AT_ROLE_ADMIN, NULL);
    off.disabled = true;
    assert_false(may(&off, "P-R1", d, d, AT_WEB_READ));
    /* no such person */
    bool allowed = true;
    at_error err;
    assert_int_equal(at_web_may(company, &exec, 0, d, d, AT_WEB_READ, &allowed, &err), AT_OK);
    assert_false(allowed);
    assert_int_equal(at_web_may(company, NULL, person("P-R1"), d, d, AT_WEB_READ, &allowed, &err),
                     AT_OK);
    assert_false(allowed);
}

static void managers_see_their_team_on_the_day(void **state)
{
    (void)state;
    at_web_user m1 = user_of(AT_ROLE_MANAGER, "P-M1");
    at_day before_r1 = pay_day(2025, 3, 14), r1_start = pay_day(2025, 3, 15);
    at_day r2_last = pay_day(2025, 6, 30), after_r2 = pay_day(2025, 7, 1);
    /* themselves, always */
    assert_true(may(&m1, "P-M1", before_r1, before_r1, AT_WEB_READ));
    /* P-R1 from her line's first day */
    assert_false(may(&m1, "P-R1", before_r1, before_r1, AT_WEB_READ));
    assert_true(may(&m1, "P-R1", r1_start, r1_start, AT_WEB_READ));
    assert_true(may(&m1, "P-R1", r1_start, r1_start, AT_WEB_WRITE));
    /* a range touching the line's first day is enough (a month she joined in) */
    assert_true(may(&m1, "P-R1", pay_day(2025, 3, 1), pay_day(2025, 3, 31), AT_WEB_READ));
    /* P-R2 until his line's last day */
    assert_true(may(&m1, "P-R2", r2_last, r2_last, AT_WEB_READ));
    assert_false(may(&m1, "P-R2", after_r2, after_r2, AT_WEB_READ));
    /* not their manager, not a peer, not someone outside */
    assert_false(may(&m1, "P-VP", r1_start, r1_start, AT_WEB_READ));
    assert_false(may(&m1, "P-X", r1_start, r1_start, AT_WEB_READ));
    assert_false(may(&m1, "P-O1", r1_start, r1_start, AT_WEB_READ));
    /* P-VP: direct (P-M1, P-X) and through P-M1 (P-R1 once her line starts) */
    at_web_user vp = user_of(AT_ROLE_MANAGER, "P-VP");
    assert_true(may(&vp, "P-M1", r1_start, r1_start, AT_WEB_READ));
    assert_true(may(&vp, "P-X", r1_start, r1_start, AT_WEB_READ));
    assert_true(may(&vp, "P-R1", r1_start, r1_start, AT_WEB_READ));
    assert_false(may(&vp, "P-R1", before_r1, before_r1, AT_WEB_READ));
    assert_false(may(&vp, "P-O1", r1_start, r1_start, AT_WEB_READ));
    /* in_team itself: a person is not in their own team */
    bool yes = true;
    at_error err;
    assert_int_equal(at_web_in_team(company, person("P-M1"), person("P-M1"), r1_start, r1_start,
                                    &yes, &err),
                     AT_OK);
    assert_false(yes);
}

typedef struct seen {
    char ids[512];
    char managers[512];
} seen;

static at_code collect(void *ctx, const at_web_person *p, at_error *err)
{
    (void)err;
    seen *s = ctx;
    strcat(s->ids, p->ext_id);
    strcat(s->ids, " ");
    strcat(s->managers, p->manager ? p->manager : "-");
    strcat(s->managers, " ");
    return AT_OK;
}

static void lists_show_the_scope(void **state)
{
    (void)state;
    at_error err;
    at_day d = pay_day(2025, 4, 15);
    seen s = {{0}, {0}};
    bool more = true;
    at_web_user fin = user_of(AT_ROLE_FINANCE, NULL);
    at_web_scope scope = at_web_scope_of(&fin, d);
    assert_int_equal(scope.kind, AT_SCOPE_EVERYONE);
    assert_int_equal(at_web_people_each(company, &scope, d, NULL, 0, NULL, collect, &s, &more,
                                        &err),
                     AT_OK);
    assert_string_equal(s.ids, "P-M1 P-O1 P-R1 P-R2 P-VP P-X ");
    assert_string_equal(s.managers, "P-VP - P-M1 P-M1 - P-VP ");
    assert_false(more);
    /* pages: two at a time, after the last id seen */
    memset(&s, 0, sizeof s);
    assert_int_equal(at_web_people_each(company, &scope, d, "P-O1", 2, NULL, collect, &s, &more,
                                        &err),
                     AT_OK);
    assert_string_equal(s.ids, "P-R1 P-R2 ");
    assert_true(more);
    /* search by name or id, any case; SQL metacharacters are only text */
    memset(&s, 0, sizeof s);
    assert_int_equal(at_web_people_each(company, &scope, d, NULL, 0, "rEp", collect, &s, &more,
                                        &err),
                     AT_OK);
    assert_string_equal(s.ids, "P-R1 P-R2 ");
    memset(&s, 0, sizeof s);
    assert_int_equal(at_web_people_each(company, &scope, d, "' OR 1=1 --", 0, "%' OR '1'='1",
                                        collect, &s, &more, &err),
                     AT_OK);
    assert_string_equal(s.ids, "");
    /* a manager: themselves and their team on the day */
    at_web_user m1 = user_of(AT_ROLE_MANAGER, "P-M1");
    scope = at_web_scope_of(&m1, d);
    assert_int_equal(scope.kind, AT_SCOPE_TEAM);
    memset(&s, 0, sizeof s);
    assert_int_equal(at_web_people_each(company, &scope, d, NULL, 0, NULL, collect, &s, &more,
                                        &err),
                     AT_OK);
    assert_string_equal(s.ids, "P-M1 P-R1 P-R2 ");
    /* a team page by page, and searched: the same rows, from the manager down */
    memset(&s, 0, sizeof s);
    assert_int_equal(at_web_people_each(company, &scope, d, "P-M1", 1, NULL, collect, &s, &more,
                                        &err),
                     AT_OK);
    assert_string_equal(s.ids, "P-R1 ");
    assert_true(more);
    memset(&s, 0, sizeof s);
    assert_int_equal(at_web_people_each(company, &scope, d, NULL, 0, "r2", collect, &s, &more,
                                        &err),
                     AT_OK);
    assert_string_equal(s.ids, "P-R2 ");
    assert_false(more);
    scope.day = pay_day(2025, 7, 1);
    memset(&s, 0, sizeof s);
    assert_int_equal(at_web_people_each(company, &scope, scope.day, NULL, 0, NULL, collect, &s,
                                        &more, &err),
                     AT_OK);
    assert_string_equal(s.ids, "P-M1 P-R1 ");
    /* a rep: themselves */
    at_web_user rep = user_of(AT_ROLE_REP, "P-R2");
    scope = at_web_scope_of(&rep, d);
    memset(&s, 0, sizeof s);
    assert_int_equal(at_web_people_each(company, &scope, d, NULL, 0, NULL, collect, &s, &more,
                                        &err),
                     AT_OK);
    assert_string_equal(s.ids, "P-R2 ");
    /* nobody */
    at_web_user lost = user_of(AT_ROLE_REP, NULL);
    scope = at_web_scope_of(&lost, d);
    assert_int_equal(scope.kind, AT_SCOPE_NOBODY);
    memset(&s, 0, sizeof s);
    assert_int_equal(at_web_people_each(company, &scope, d, NULL, 0, NULL, collect, &s, &more,
                                        &err),
                     AT_OK);
    assert_string_equal(s.ids, "");
}

/* A team list whose callback lists the same team again: the same statement text while the
 * first is still stepping (a kept handle must prepare a second one, not hand out the busy one). */
typedef struct nested {
    seen outer, inner;
    const at_web_scope *scope;
    at_day day;
} nested;

static at_code list_again(void *ctx, const at_web_person *p, at_error *err)
{
    nested *n = ctx;
    collect(&n->outer, p, err);
    bool more = false;
    return at_web_people_each(company, n->scope, n->day, NULL, 0, NULL, collect, &n->inner,
                              &more, err);
}

static void kept_statements_answer_the_same(void **state)
{
    (void)state;
    at_error err;
    at_web_store_keep_statements(company);
    at_web_store_keep_statements(company); /* twice is once */
    at_web_user m1 = user_of(AT_ROLE_MANAGER, "P-M1");
    at_day d = pay_day(2025, 5, 1);
    at_web_scope scope = at_web_scope_of(&m1, d);
    for (int round = 0; round < 3; round++) {
        assert_true(may(&m1, "P-R1", d, d, AT_WEB_READ));
        assert_false(may(&m1, "P-O1", d, d, AT_WEB_READ));
        seen s;
        memset(&s, 0, sizeof s);
        bool more = false;
        assert_int_equal(at_web_people_each(company, &scope, d, NULL, 0, NULL, collect, &s, &more,
                                            &err),
                         AT_OK);
        assert_string_equal(s.ids, "P-M1 P-R1 P-R2 ");
        int64_t id = 0;
        bool found = false;
        assert_int_equal(at_web_person_id(company, "P-R2", &id, &found, &err), AT_OK);
        assert_true(found);
        assert_int_equal(id, person("P-R2"));
        assert_int_equal(at_web_person_id(company, "P-NOBODY", &id, &found, &err), AT_OK);
        assert_false(found);
    }
    nested n;
    memset(&n, 0, sizeof n);
    n.scope = &scope;
    n.day = d;
    bool more = false;
    assert_int_equal(at_web_people_each(company, &scope, d, NULL, 0, NULL, list_again, &n, &more,
                                        &err),
                     AT_OK);
    assert_string_equal(n.outer.ids, "P-M1 P-R1 P-R2 ");
    assert_string_equal(n.inner.ids, "P-M1 P-R1 P-R2 P-M1 P-R1 P-R2 P-M1 P-R1 P-R2 ");
    /* forgotten: finalized (the store closes cleanly at teardown) and prepared anew after */
    at_web_store_forget_statements(company);
    at_web_store_forget_statements(NULL);
    assert_true(may(&m1, "P-R1", d, d, AT_WEB_READ));
}

static void users_sessions_tokens(void **state)
{
    (void)state;
    at_error err;
    int64_t id = 0;
    assert_int_equal(at_web_user_add(company, "rita", AT_ROLE_REP, "P-R1", HASH, "admin", &id,
                                     &err),
                     AT_OK);
    assert_true(id > 0);
    /* errors: the login taken, a bad login, a rep without a person, an unknown person, a
       hash that is not Argon2id */
    assert_int_equal(at_web_user_add(company, "rita", AT_ROLE_REP, "P-R1", HASH, "admin", NULL,
                                     &err),
                     AT_ERR_CONFLICT);
    assert_string_equal(err.message, "there is already a user 'rita'");
    assert_int_equal(at_web_user_add(company, "ri ta", AT_ROLE_ADMIN, NULL, HASH, "admin", NULL,
                                     &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "login");
    assert_int_equal(at_web_user_add(company, "", AT_ROLE_ADMIN, NULL, HASH, "admin", NULL, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_web_user_add(company, "max", AT_ROLE_MANAGER, NULL, HASH, "admin", NULL,
                                     &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "person");
    assert_int_equal(at_web_user_add(company, "max", AT_ROLE_MANAGER, "P-NOBODY", HASH, "admin",
                                     NULL, &err),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_web_user_add(company, "max", AT_ROLE_ADMIN, NULL, "plain", "admin", NULL,
                                     &err),
                     AT_ERR_INVALID);
    at_web_user u;
    char hash[200];
    bool found = false;
    assert_int_equal(at_web_user_find(company, "rita", &u, hash, sizeof hash, &found, &err),
                     AT_OK);
    assert_true(found);
    assert_string_equal(hash, HASH);
    assert_int_equal(u.role, AT_ROLE_REP);
    assert_string_equal(u.person, "P-R1");
    assert_int_equal(u.person_id, person("P-R1"));
    assert_int_equal(at_web_user_find(company, "nobody", &u, NULL, 0, &found, &err), AT_OK);
    assert_false(found);
    assert_int_equal(at_web_user_set_password(company, "nobody", HASH, "admin", &err),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_web_user_set_password(company, "rita", HASH "x", "admin", &err), AT_OK);

    /* sessions by the hash of their secret */
    uint8_t h[AT_WEB_SECRET_HASH_SIZE], other[AT_WEB_SECRET_HASH_SIZE];
    at_web_secret_hash("secret-1", h);
    at_web_secret_hash("secret-2", other);
    assert_int_equal(at_web_session_add(company, h, id, "csrf-1", 1000, 5000, "127.0.0.1", &err),
                     AT_OK);
    at_web_session s;
    assert_int_equal(at_web_session_get(company, h, &s, &found, &err), AT_OK);
    assert_true(found);
    assert_int_equal(s.user_id, id);
    assert_string_equal(s.csrf, "csrf-1");
    assert_int_equal(s.last_seen, 1000);
    assert_int_equal(s.expires_at, 5000);
    assert_int_equal(at_web_session_get(company, other, &s, &found, &err), AT_OK);
    assert_false(found);
    assert_int_equal(at_web_session_touch(company, h, 1500, &err), AT_OK);
    assert_int_equal(at_web_session_get(company, h, &s, &found, &err), AT_OK);
    assert_int_equal(s.last_seen, 1500);
    /* purge: idle 600 s at 2000 keeps it (seen at 1500), at 2200 removes it */
    int64_t purged = -1;
    assert_int_equal(at_web_session_purge(company, 2000, 600, &purged, &err), AT_OK);
    assert_int_equal(purged, 0);
    assert_int_equal(at_web_session_purge(company, 2200, 600, &purged, &err), AT_OK);
    assert_int_equal(purged, 1);
    assert_int_equal(at_web_session_add(company, h, id, "csrf-2", 3000, 9000, "", &err), AT_OK);
    bool deleted = false;
    assert_int_equal(at_web_session_delete(company, h, &deleted, &err), AT_OK);
    assert_true(deleted);
    assert_int_equal(at_web_session_delete(company, h, &deleted, &err), AT_OK);
    assert_false(deleted);

    /* tokens */
    int64_t tid = 0;
    assert_int_equal(at_web_token_add(company, id, "nightly export", other, 100, 0, "api:rita",
                                      &tid, &err),
                     AT_OK);
    assert_int_equal(at_web_token_add(company, id, "", other, 100, 0, "api:rita", NULL, &err),
                     AT_ERR_INVALID);
    at_web_token t;
    assert_int_equal(at_web_token_find(company, other, &t, &found, &err), AT_OK);
    assert_true(found);
    assert_int_equal(t.id, tid);
    assert_string_equal(t.name, "nightly export");
    assert_int_equal(t.last_used, 0);
    assert_int_equal(t.expires_at, 0);
    assert_false(t.revoked);
    assert_int_equal(at_web_token_touch(company, tid, 777, &err), AT_OK);
    assert_int_equal(at_web_token_find(company, other, &t, &found, &err), AT_OK);
    assert_int_equal(t.last_used, 777);
    /* someone else cannot revoke it; its owner can, once */
    assert_int_equal(at_web_token_revoke(company, tid, id + 100, "api:x", &found, &err), AT_OK);
    assert_false(found);
    assert_int_equal(at_web_token_revoke(company, tid, id, "api:rita", &found, &err), AT_OK);
    assert_true(found);
    assert_int_equal(at_web_token_revoke(company, tid, id, "api:rita", &found, &err), AT_OK);
    assert_false(found);
    assert_int_equal(at_web_token_find(company, other, &t, &found, &err), AT_OK);
    assert_true(t.revoked);
    /* the audit has the user, the password change and the token, never a hash */
    assert_int_equal(util_int(company_path, "SELECT count(*) FROM audit WHERE entity = 'users' "
                                            "AND row_key = 'rita'"),
                     2);
    assert_int_equal(util_int(company_path, "SELECT count(*) FROM audit WHERE entity = "
                                            "'api_tokens'"),
                     2);
    assert_int_equal(util_int(company_path, "SELECT count(*) FROM audit WHERE after LIKE "
                                            "'%argon2id%' OR before LIKE '%argon2id%'"),
                     0);
    assert_int_equal(at_web_store_audit(company, "api:rita", "login", "users", "rita",
                                        "{\"address\":\"127.0.0.1\"}", NULL, &err),
                     AT_OK);
    assert_int_equal(util_int(company_path, "SELECT count(*) FROM audit WHERE action = 'login' "
                                            "AND actor = 'api:rita'"),
                     1);
}

static void roles_by_name(void **state)
{
    (void)state;
    at_web_role r;
    at_error err;
    const char *names[] = {"admin", "sales_ops", "finance", "manager", "rep", "executive"};
    for (int i = 0; i < AT_ROLE_COUNT; i++) {
        assert_int_equal(at_web_role_parse(names[i], &r, &err), AT_OK);
        assert_int_equal(r, i);
        assert_string_equal(at_web_role_name(r), names[i]);
    }
    assert_int_equal(at_web_role_parse("Admin", &r, &err), AT_ERR_INVALID);
    assert_int_equal(at_web_role_parse(NULL, &r, &err), AT_ERR_INVALID);
    assert_string_equal(at_web_role_name(AT_ROLE_COUNT), "");
}

/* A database of schema version 2 opened by this attain gets version 4's tables. */
static void version_4_upgrades(void **state)
{
    (void)state;
    const char *src = getenv("ATTAIN_SOURCE_DIR");
    assert_non_null(src);
    char from[1024];
    snprintf(from, sizeof from, "%s/tests/data/attain-v2.db", src);
    char *path = util_db_path("v2-for-web");
    assert_int_equal(util_copy_file(from, path), 0);
    at_store *s = NULL;
    at_error err;
    assert_int_equal(at_store_open(path, NULL, &s, &err), AT_OK);
    assert_int_equal(at_store_upgraded_from(s), 2);
    int64_t id = 0;
    assert_int_equal(at_web_user_add(s, "ops", AT_ROLE_SALES_OPS, NULL, HASH, "test", &id, &err),
                     AT_OK);
    at_store_close(s);
    assert_int_equal(util_int(path, "SELECT max(version) FROM schema_version"),
                     AT_STORE_SCHEMA_VERSION);
    assert_int_equal(util_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('users', "
                                    "'sessions', 'api_tokens', 'users_by_person', "
                                    "'sessions_by_user', 'api_tokens_by_user')"),
                     6);
    assert_int_equal(util_int(path, "SELECT count(*) FROM users WHERE login = 'ops' AND role = "
                                    "'sales_ops'"),
                     1);
    /* the CHECK keeps roles to the six */
    assert_int_not_equal(util_exec(path, "INSERT INTO users (login, role, password_hash, "
                                         "created_at, created_by) VALUES ('x', 'boss', 'h', 0, "
                                         "'t')"),
                         0);
    util_remove_db(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_decide),
        cmocka_unit_test(managers_see_their_team_on_the_day),
        cmocka_unit_test(lists_show_the_scope),
        cmocka_unit_test(kept_statements_answer_the_same),
        cmocka_unit_test(users_sessions_tokens),
        cmocka_unit_test(roles_by_name),
        cmocka_unit_test(version_4_upgrades),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
