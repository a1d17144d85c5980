/* access.c - the row-level rule: whose pay a user may read or change. The one place that
 * decides it; the dispatcher applies it to every route through the route's rule (web.h) and
 * handlers never ask it themselves.
 *
 *   admin, sales_ops, finance   everyone, read and write
 *   executive                   everyone, read only
 *   manager                     themselves and their team: the people who report to them,
 *                               directly or through others, by the reporting lines in force
 *                               during the days asked about (the effective-dated hierarchy)
 *   rep                         themselves only
 * A disabled user, or a rep or manager whose person is not (or no longer) in the store, may
 * see nobody's pay. */
#include "web/web.h"

at_code at_web_may(at_store *store, const at_web_user *user, int64_t person, at_day from,
                   at_day to, at_web_access how, bool *allowed, at_error *err)
{
    *allowed = false;
    if (!user || user->disabled || person <= 0)
        return AT_OK;
    switch (user->role) {
    case AT_ROLE_ADMIN:
    case AT_ROLE_SALES_OPS:
    case AT_ROLE_FINANCE:
        *allowed = true;
        return AT_OK;
    case AT_ROLE_EXECUTIVE:
        *allowed = how == AT_WEB_READ;
        return AT_OK;
    case AT_ROLE_REP:
        *allowed = user->person_id > 0 && person == user->person_id;
        return AT_OK;
    case AT_ROLE_MANAGER:
        if (user->person_id <= 0)
            return AT_OK;
        if (person == user->person_id) {
            *allowed = true;
            return AT_OK;
        }
        return at_web_in_team(store, user->person_id, person, from, to, allowed, err);
    case AT_ROLE_COUNT:
        break;
    }
    return AT_OK;
}

at_web_scope at_web_scope_of(const at_web_user *user, at_day day)
{
    at_web_scope scope = {.kind = AT_SCOPE_NOBODY, .person_id = 0, .day = day};
    if (!user || user->disabled)
        return scope;
    switch (user->role) {
    case AT_ROLE_ADMIN:
    case AT_ROLE_SALES_OPS:
    case AT_ROLE_FINANCE:
    case AT_ROLE_EXECUTIVE:
        scope.kind = AT_SCOPE_EVERYONE;
        break;
    case AT_ROLE_MANAGER:
        if (user->person_id > 0) {
            scope.kind = AT_SCOPE_TEAM;
            scope.person_id = user->person_id;
        }
        break;
    case AT_ROLE_REP:
        if (user->person_id > 0) {
            scope.kind = AT_SCOPE_SELF;
            scope.person_id = user->person_id;
        }
        break;
    case AT_ROLE_COUNT:
        break;
    }
    return scope;
}
