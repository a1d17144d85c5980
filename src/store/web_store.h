/* web_store.h - what the store keeps for the web application and the API (src/web): users,
 * their sessions and API tokens, and the reads the access rule and the API lists need (the
 * people a manager's team holds on a day, people and calculation runs page by page).
 *
 * Tables (schema version 4, store/schema.c):
 *   users       (id, login UNIQUE, role admin|sales_ops|finance|manager|rep|executive,
 *                person_id: people.id or NULL, password_hash: an Argon2id string, created_at,
 *                created_by, disabled 0|1)
 *   sessions    (id_hash BLOB: the hash of the cookie's secret, user_id, csrf, created_at,
 *                last_seen, expires_at, address)
 *   api_tokens  (id, user_id, name, token_hash BLOB UNIQUE, created_at, last_used, expires_at
 *                or NULL, revoked 0|1)
 * Secrets never reach the store: callers hash them (src/web/auth.c). Times are UTC seconds.
 * Changes to users and tokens are audited (entity "users" / "api_tokens", actor given);
 * sessions are not (log-in and log-out are audited by the caller with at_web_store_audit).
 * SQLite only, like the pay store. */
#ifndef ATTAIN_STORE_WEB_STORE_H
#define ATTAIN_STORE_WEB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "store/store.h"

/* The roles, in the order of the users.role CHECK. */
typedef enum at_web_role {
    AT_ROLE_ADMIN = 0,
    AT_ROLE_SALES_OPS,
    AT_ROLE_FINANCE,
    AT_ROLE_MANAGER,
    AT_ROLE_REP,
    AT_ROLE_EXECUTIVE,
    AT_ROLE_COUNT
} at_web_role;

/* "admin", "sales_ops", ...; "" for a value out of range. */
const char *at_web_role_name(at_web_role role);
/* Parses a role name (exactly as above). AT_ERR_INVALID naming the roles otherwise. */
at_code at_web_role_parse(const char *text, at_web_role *out, at_error *err);

#define AT_WEB_SECRET_HASH_SIZE 32 /* bytes of a session's or token's stored hash */

typedef struct at_web_user {
    int64_t id;
    char login[65];
    at_web_role role;
    int64_t person_id;         /* people.id; 0 when the user names no person */
    char person[129];          /* people.ext_id; "" when none (or the person is gone) */
    bool disabled;
} at_web_user;

/* ---- users -------------------------------------------------------------------------------- */

/* Creates a user in its own transaction, audited as an insert of "users" keyed by login (the
 * hash is not written to the audit). person (people.ext_id) may be NULL; rep and manager
 * users need one. Errors: AT_ERR_INVALID for a login that is not 1-64 characters of
 * [A-Za-z0-9._@-], a rep or manager without a person; AT_ERR_NOT_FOUND for an unknown person;
 * AT_ERR_CONFLICT when the login is taken. */
at_code at_web_user_add(at_store *store, const char *login, at_web_role role,
                        const char *person, const char *password_hash, const char *actor,
                        int64_t *id, at_error *err);

/* Sets a user's password hash (audited as an update of "users" with no values). */
at_code at_web_user_set_password(at_store *store, const char *login, const char *password_hash,
                                 const char *actor, at_error *err);

/* The user with this login, and (when hash is not NULL) the password hash into hash (size
 * bytes). *found false when there is none. */
at_code at_web_user_find(at_store *store, const char *login, at_web_user *user, char *hash,
                         size_t hash_size, bool *found, at_error *err);
/* The user with this id. */
at_code at_web_user_get(at_store *store, int64_t id, at_web_user *user, bool *found,
                        at_error *err);

/* Every user by login. */
typedef at_code (*at_web_user_fn)(void *ctx, const at_web_user *user, at_time created_at,
                                  at_error *err);
at_code at_web_user_each(at_store *store, at_web_user_fn fn, void *ctx, at_error *err);

/* ---- sessions ----------------------------------------------------------------------------- */

typedef struct at_web_session {
    int64_t user_id;
    char csrf[64];
    at_time created_at, last_seen, expires_at;
} at_web_session;

/* Stores a new session (its own transaction; not audited). */
at_code at_web_session_add(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                           int64_t user_id, const char *csrf, at_time now, at_time expires_at,
                           const char *address, at_error *err);
/* The session with this hash; *found false when none. Expiry is the caller's business. */
at_code at_web_session_get(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                           at_web_session *out, bool *found, at_error *err);
/* Sets last_seen. */
at_code at_web_session_touch(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                             at_time now, at_error *err);
/* Deletes one session (*deleted may be NULL). */
at_code at_web_session_delete(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                              bool *deleted, at_error *err);
/* Deletes sessions that expired by absolute time or were idle longer than idle seconds. */
at_code at_web_session_purge(at_store *store, at_time now, at_time idle, int64_t *deleted,
                             at_error *err);

/* ---- API tokens --------------------------------------------------------------------------- */

typedef struct at_web_token {
    int64_t id, user_id;
    char name[129];
    at_time created_at, last_used, expires_at; /* 0: never used / never expires */
    bool revoked;
} at_web_token;

/* Stores a token for user_id (audited as an insert of "api_tokens" keyed by its id, by actor). */
at_code at_web_token_add(at_store *store, int64_t user_id, const char *name,
                         const uint8_t hash[AT_WEB_SECRET_HASH_SIZE], at_time now,
                         at_time expires_at, const char *actor, int64_t *id, at_error *err);
/* The token with this hash. */
at_code at_web_token_find(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                          at_web_token *out, bool *found, at_error *err);
at_code at_web_token_touch(at_store *store, int64_t id, at_time now, at_error *err);
/* Revokes a token (audited as an update); user_id 0: any user's, else only that user's.
 * *found false when there is no such token (of that user). */
at_code at_web_token_revoke(at_store *store, int64_t id, int64_t user_id, const char *actor,
                            bool *found, at_error *err);
/* The tokens of a user (user_id 0: everyone's), newest first. */
typedef at_code (*at_web_token_fn)(void *ctx, const at_web_token *token, at_error *err);
at_code at_web_token_each(at_store *store, int64_t user_id, at_web_token_fn fn, void *ctx,
                          at_error *err);

/* ---- audit -------------------------------------------------------------------------------- */

/* Writes one audit row in its own transaction: actor, action ("login", "logout", "insert",
 * ...), entity and key ("" when none), after (a JSON object or NULL), reason (NULL: none). */
at_code at_web_store_audit(at_store *store, const char *actor, const char *action,
                           const char *entity, const char *key, const char *after,
                           const char *reason, at_error *err);

/* ---- people and the hierarchy --------------------------------------------------------------- */

/* The internal id of the person with this external id; *found false when none. */
at_code at_web_person_id(at_store *store, const char *ext_id, int64_t *id, bool *found,
                         at_error *err);

/* Whether person reports to manager (directly or through others) on some day of [from, to]:
 * each reporting line of the chain is in force at some time in the range. A person is not in
 * their own team. */
at_code at_web_in_team(at_store *store, int64_t manager, int64_t person, at_day from, at_day to,
                       bool *yes, at_error *err);

/* Which people a list shows. */
typedef enum at_web_scope_kind {
    AT_SCOPE_EVERYONE = 0,
    AT_SCOPE_TEAM,            /* the person and everyone in their team on the day */
    AT_SCOPE_SELF,            /* the person alone */
    AT_SCOPE_NOBODY,
} at_web_scope_kind;

typedef struct at_web_scope {
    at_web_scope_kind kind;
    int64_t person_id;        /* TEAM and SELF */
    at_day day;               /* TEAM: the day the hierarchy is read on */
} at_web_scope;

typedef struct at_web_person {
    int64_t id;
    const char *ext_id, *name, *email, *role, *team, *title, *pay_currency, *country;
    at_day hire_date, exit_date;        /* AT_DAY_MIN / AT_DAY_MAX when not given */
    const char *manager;                /* ext id of the manager on the scope's day, or NULL */
} at_web_person;

/* People in the scope with ext_id > after (NULL: from the start), by ext_id, at most limit
 * (0: all); *more says whether there are more. Strings valid during the call. */
typedef at_code (*at_web_person_fn)(void *ctx, const at_web_person *person, at_error *err);
at_code at_web_people_each(at_store *store, const at_web_scope *scope, at_day day,
                           const char *after, size_t limit, const char *search,
                           at_web_person_fn fn, void *ctx, bool *more, at_error *err);

/* ---- calculation runs, listed ------------------------------------------------------------- */

/* Runs with id < before (0: from the newest), newest first, at most limit (0: all). The
 * record's strings are valid during the call. */
typedef struct at_store_run_record at_store_run_record;
typedef at_code (*at_web_run_fn)(void *ctx, const at_store_run_record *run, at_error *err);
at_code at_web_runs_each(at_store *store, int64_t before, size_t limit, at_web_run_fn fn,
                         void *ctx, bool *more, at_error *err);

/* ---- changes to users (web_store_users.c) -------------------------------------------------- */

/* Disables or enables the user with this login, audited as an update of "users" keyed by the
 * login ({"disabled":...}). Disabling ends the user's sessions in the same transaction; their
 * API tokens stay but are refused while the user is disabled (the API reads the user on every
 * request). *changed false when the user was so already (nothing is written). Errors:
 * AT_ERR_NOT_FOUND for an unknown login. */
at_code at_web_user_set_disabled(at_store *store, const char *login, bool disabled,
                                 const char *actor, bool *changed, at_error *err);

/* Ends the sessions of a user, all but the one with hash keep (NULL: all); *ended (may be
 * NULL) counts them. Not audited (the caller audits what made it end them). */
at_code at_web_user_sessions_end(at_store *store, int64_t user_id,
                                 const uint8_t keep[AT_WEB_SECRET_HASH_SIZE], int64_t *ended,
                                 at_error *err);

/* ---- the latest month with results (web_store_people.c) ------------------------------------ */

/* The last month of the latest finished calculation run for everyone (*everyone true), else
 * of the latest finished run for some payees; *found false when no run has finished. month
 * gets "YYYY-MM". */
at_code at_web_latest_month(at_store *store, char month[16], int64_t *run_id, bool *everyone,
                            bool *found, at_error *err);

/* ---- statements kept prepared (web_store_statements.c) ------------------------------------- */

/* Marks a handle whose reads keep their statements prepared between calls (the server's pool:
 * a handle is used by one thread at a time and lives as long as the server). */
void at_web_store_keep_statements(at_store *store);
/* Unmarks the handle and finalizes what it kept: call it before at_store_close. NULL is
 * allowed. */
void at_web_store_forget_statements(at_store *store);

#endif
