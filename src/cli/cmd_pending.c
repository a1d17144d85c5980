/* cmd_pending.c - TEMPORARY during development: commands not yet written. Each block goes
 * away when its real cmd_NAME.c lands; the file is deleted when empty. */
#include "cli/commands.h"

static int not_yet(int argc, char **argv)
{
    (void)argc;
    at_error err;
    at_fail(&err, AT_ERR_INTERNAL, NULL, NULL, "'%s' is not built yet", argv[0]);
    return at_cli_report(&err);
}

/* BEGIN import */
const at_command at_command_import = {"import", "attain import", "(pending)", "", not_yet};
/* END import */
/* BEGIN export */
const at_command at_command_export = {"export", "attain export", "(pending)", "", not_yet};
/* END export */
