/* gen_syscalldoc.c: writes the syscall table of docs/myvmm.md from the
 * table the dispatcher uses (vm/machine/syscall.def, through
 * bh_syscall_info), so the docs cannot name a syscall myvmm lacks or miss
 * one it has (tests/e2e/syscall_doc.sh regenerates it and diffs).
 *
 *   gen_syscalldoc         the table, between its two marker lines, on stdout
 *   gen_syscalldoc FILE    FILE with the lines from the first marker to the
 *                          second replaced by the table, on stdout
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa.h"
#include "machine/syscall.h"

#define BEGIN_MARK "<!-- syscall table: generated"
#define END_MARK "<!-- end of the generated syscall table -->"

static const char *const arg_kind[] = {
    [BH_SYS_NONE] = "",
    [BH_SYS_INT] = "int",
    [BH_SYS_CHAR] = "char",
    [BH_SYS_STR] = "string address",
    [BH_SYS_BUF] = "buffer address",
    [BH_SYS_LEN] = "byte count",
    [BH_SYS_FD] = "descriptor",
    [BH_SYS_FLAGS] = "flags",
    [BH_SYS_GEN] = "generator id",
};
_Static_assert(sizeof arg_kind / sizeof arg_kind[0] == BH_SYS_ARG_KINDS,
               "every argument kind has a name in the docs");

/* Markdown table cells: a '|' would end the cell. */
static void cell(const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s);
    }
}

static void table(void)
{
    puts(BEGIN_MARK " by tests/gen_syscalldoc.c from vm/machine/syscall.def "
                    "(`make docs/myvmm.md`); edit the list, not this table: "
                    "tests/e2e/syscall_doc.sh fails when it is stale -->");
    puts("| `$v0` | name | arguments | results | what it does |");
    puts("|---|---|---|---|---|");
    for (int32_t n = 0; n < BH_SYSCALL_LIMIT; n++) {
        const struct bh_syscall_info *s = bh_syscall_info(n);
        if (!s)
            continue;
        printf("| %d | `%s` | ", (int)n, s->name);
        const char *sep = "";
        for (int a = 0; a < 3; a++) {
            if (s->args[a] == BH_SYS_NONE)
                continue;
            printf("%s`$a%d` %s", sep, a, arg_kind[s->args[a]]);
            sep = ", ";
        }
        fputs(" | ", stdout);
        sep = "";
        for (unsigned r = 0; r < 32; r++) {
            if (s->results >> r & 1) {
                printf("%s`$%s`", sep, isa_reg_names[r]);
                sep = ", ";
            }
        }
        fputs(" | ", stdout);
        cell(s->what);
        puts(" |");
    }
    puts(END_MARK);
}

/* FILE with its marked table replaced: what FILE should be. */
static int splice(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    char line[4096];
    int state = 0; /* 0 before the table, 1 inside it, 2 after it */
    while (fgets(line, sizeof line, f)) {
        if (state == 0 && strncmp(line, BEGIN_MARK, strlen(BEGIN_MARK)) == 0) {
            table();
            state = 1;
        } else if (state == 1) {
            if (strncmp(line, END_MARK, strlen(END_MARK)) == 0)
                state = 2;
        } else {
            fputs(line, stdout);
        }
    }
    fclose(f);
    if (state != 2) {
        fprintf(stderr, "%s: no lines '%s ...' and '%s' around a syscall table\n", path, BEGIN_MARK,
                END_MARK);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        fprintf(stderr, "usage: %s [FILE]\n", argv[0]);
        return 2;
    }
    int rc = argc == 2 ? splice(argv[1]) : (table(), 0);
    return rc ? rc : ferror(stdout) ? 1 : 0;
}
