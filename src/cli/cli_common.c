/* cli_common.c - what every subcommand shares: the database path, error reports, help. */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"

const char *at_cli_db_path(const char *flag_value)
{
    if (flag_value && flag_value[0])
        return flag_value;
    const char *env = getenv("ATTAIN_DB");
    if (env && env[0])
        return env;
    return "./attain.db";
}

int at_cli_report(const at_error *err)
{
    char buf[AT_ERROR_WHERE_MAX + AT_ERROR_MESSAGE_MAX + AT_ERROR_HINT_MAX + 32];
    at_error_format(err, buf, sizeof buf);
    fprintf(stderr, "attain: %s", buf);
    return err && err->code == AT_ERR_USAGE ? 2 : 1;
}

void at_cli_print_help(const at_command *cmd, FILE *out)
{
    fprintf(out, "usage: %s\n\n%s\n", cmd->synopsis, cmd->summary);
    if (cmd->help && cmd->help[0])
        fprintf(out, "\n%s", cmd->help);
}

int at_cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

/* "1234567.5" -> "1,234,567.50": two decimals, thousands grouped. */
void at_cli_format_amount(at_money amount, char *out, size_t size)
{
    char plain[AT_MONEY_TEXT_MAX];
    at_money_format_fixed(amount, 2, AT_ROUND_HALF_EVEN, plain, sizeof plain);
    at_money_group_digits(plain, out, size);
}
