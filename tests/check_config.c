/* check_config.c: the config file reader: every key, defaults, every error
 * with file:line, relative paths, CRLF, and the config/assembly sniffing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "vm.h"

static char dir[64];
static char prog[128], input[128], cfgpath[128];

/* A scratch folder with a program and an input file for paths to name. */
static void setup(void)
{
    strcpy(dir, "/tmp/bh_cfgXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(prog, sizeof prog, "%s/prog.s", dir);
    snprintf(input, sizeof input, "%s/in.txt", dir);
    snprintf(cfgpath, sizeof cfgpath, "%s/vm1.cfg", dir);
    FILE *f = fopen(prog, "w");
    fputs("main: li $v0,10\nsyscall\n", f);
    fclose(f);
    f = fopen(input, "w");
    fputs("5\n", f);
    fclose(f);
}

static void teardown(void)
{
    unlink(prog);
    unlink(input);
    unlink(cfgpath);
    rmdir(dir);
}

static int parse(const char *text, struct bh_config *c, char *err, size_t n)
{
    return bh_config_parse(cfgpath, text, strlen(text), c, err, n);
}

START_TEST(defaults_and_original_keys)
{
    struct bh_config c;
    char err[256] = "";
    int rc = parse("vm_exec_slice_in_instructions=100\nvm_binary=prog.s\nvm_snapshot = snapshot_vm1.bin\n",
                   &c, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_int_eq(c.slice, 100);
    ck_assert_str_eq(c.binary, prog); /* relative to the config's folder */
    char snap[160];
    snprintf(snap, sizeof snap, "%s/snapshot_vm1.bin", dir);
    ck_assert_str_eq(c.snapshot, snap);
    ck_assert_uint_eq(c.memory, BH_CONFIG_DEFAULT_MEMORY);
    ck_assert_uint_eq(c.weight, 1);
    ck_assert_uint_eq(c.max_instructions, 0);
    ck_assert_ptr_null(c.name);
    ck_assert_ptr_null(c.stdin_path);
    ck_assert_int_eq(c.machine, BH_MACHINE_SPIM);
    /* MARS's Bitmap Display defaults */
    ck_assert_uint_eq(c.display.base, 0x10010000u);
    ck_assert_uint_eq(c.display.width, 512);
    ck_assert_uint_eq(c.display.height, 256);
    ck_assert_uint_eq(c.display.unit_w, 1);
    ck_assert_uint_eq(c.display.unit_h, 1);
    ck_assert_uint_eq(c.set, BH_CFG_BINARY | BH_CFG_SLICE | BH_CFG_SNAPSHOT);
    bh_config_free(&c);
}
END_TEST

START_TEST(every_key_crlf_comments)
{
    struct bh_config c;
    char err[256] = "";
    const char *text = "# a VM\r\n"
                       "  vm_name = fast-1   # trailing comment\r\n"
                       "vm_binary=prog.s\r\n"
                       "vm_memory = 16M\r\n"
                       "vm_stdin = in.txt\r\n"
                       "vm_stdout = /tmp/abs_out.txt\r\n"
                       "vm_max_instructions=123456789012\r\n"
                       "vm_weight=7\r\n"
                       "vm_dialect = mars\r\n"
                       "vm_machine = bare\r\n"
                       "vm_display_base = 0x10008000\r\n"
                       "vm_display_unit = 8x4\r\n"
                       "vm_display_size = 256x1024\r\n"
                       "\r\n"
                       "vm_exec_slice_in_instructions = 5000";
    int rc = parse(text, &c, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_str_eq(c.name, "fast-1");
    ck_assert_uint_eq(c.memory, 16u << 20);
    ck_assert_str_eq(c.stdin_path, input);
    ck_assert_str_eq(c.stdout_path, "/tmp/abs_out.txt"); /* absolute stays */
    ck_assert_uint_eq(c.max_instructions, 123456789012ull);
    ck_assert_uint_eq(c.weight, 7);
    ck_assert_int_eq(c.dialect, BH_DIALECT_MARS);
    ck_assert_int_eq(c.machine, BH_MACHINE_BARE);
    ck_assert_uint_eq(c.display.base, 0x10008000u);
    ck_assert_uint_eq(c.display.unit_w, 8);
    ck_assert_uint_eq(c.display.unit_h, 4);
    ck_assert_uint_eq(c.display.width, 256);
    ck_assert_uint_eq(c.display.height, 1024);
    ck_assert_int_eq(c.slice, 5000);
    bh_config_free(&c);
}
END_TEST

START_TEST(load_from_file)
{
    FILE *f = fopen(cfgpath, "w");
    fputs("vm_binary=prog.s\nvm_memory=1G\n", f);
    fclose(f);
    struct bh_config c;
    char err[256] = "";
    ck_assert_msg(bh_config_load(cfgpath, &c, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(c.memory, 1ull << 30);
    bh_config_free(&c);
    ck_assert_int_eq(bh_config_load("/nonexistent/x.cfg", &c, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.cfg"));
}
END_TEST

/* Each bad file must fail with exactly this "file:line: message". */
static const struct { const char *text, *msg; } bad[] = {
    {"vm_binary=prog.s\nvm_exec_slice_in_instructions=100\nvm_bianry=prog.s\n",
     ":3: unknown key 'vm_bianry' (did you mean 'vm_binary'?)"},
    {"vm_binary=prog.s\ncolour=blue\n", ":2: unknown key 'colour' (see docs/config.md)"},
    {"vm_binary=prog.s\nvm_memory=lots\n", ":2: vm_memory must be a size like 16M, 64M or 1G, not 'lots'"},
    {"vm_binary=prog.s\nvm_memory=8G\n", ":2: vm_memory must be between 64K and 4G, not '8G'"},
    {"vm_binary=prog.s\nvm_exec_slice_in_instructions=-5\n",
     ":2: vm_exec_slice_in_instructions must be a positive whole number, not '-5'"},
    {"vm_binary=prog.s\nvm_exec_slice_in_instructions=10x\n",
     ":2: vm_exec_slice_in_instructions must be a positive whole number, not '10x'"},
    {"vm_binary=prog.s\nvm_max_instructions=0\n",
     ":2: vm_max_instructions must be a positive whole number, not '0'"},
    {"vm_binary=prog.s\nvm_weight=0\n", ":2: vm_weight must be a whole number from 1 to 1000, not '0'"},
    {"vm_binary=prog.s\nvm_machine=mips\n", ":2: vm_machine must be spim or bare, not 'mips'"},
    {"vm_binary=prog.s\nvm_name=my vm\n",
     ":2: vm_name must be 1-23 letters, digits, '_', '.' or '-', not 'my vm'"},
    {"vm_binary=prog.s\nvm_binary=prog.s\n", ":2: vm_binary is set twice (first on line 1)"},
    {"vm_binary=prog.s\nvm_display_unit=8\n",
     ":2: vm_display_unit must be WIDTHxHEIGHT in pixels, like 8x8, not '8'"},
    {"vm_binary=prog.s\nvm_display_size=512x\n",
     ":2: vm_display_size must be WIDTHxHEIGHT in pixels, like 512x256, not '512x'"},
    {"vm_binary=prog.s\nvm_display_unit=8x3\n",
     ":2: vm_display_unit: a unit of 3 pixels is not one of MARS's: 1, 2, 4, 8, 16 or 32"},
    {"vm_binary=prog.s\nvm_display_size=2048x256\n",
     ":2: vm_display_size: a display of 2048 pixels is not one of MARS's: 64, 128, 256, 512 or "
     "1024"},
    {"vm_binary=prog.s\nvm_display_base=268500992\n",
     ":2: vm_display_base must be an address like 0x10010000, not '268500992'"},
    {"vm_binary=prog.s\nvm_display_base=0xffff0000\n",
     ":2: vm_display_base: base 0xffff0000 (MARS's memory map) is the device window here, not "
     "memory: take 0x10000000, 0x10008000, 0x10010000 or 0x10040000"},
    {"vm_binary=prog.s\nvm_snapshot=\n", ":2: vm_snapshot has no value"},
    {"vm_binary prog.s\n", ":1: expected key=value, got 'vm_binary prog.s'"},
    {"vm_binary=prog.s\n = 4\n", ":2: missing key before '='"},
    {"# only a comment\nvm_memory=16M\n", ":2: vm_binary is missing (the program the VM runs)\n"
                                        "  help: add a line vm_binary=PROG.s (docs/config.md lists the keys)"},
};

START_TEST(errors_name_file_and_line)
{
    struct bh_config c;
    char err[256] = "";
    ck_assert_int_eq(parse(bad[_i].text, &c, err, sizeof err), -1);
    char want[256];
    snprintf(want, sizeof want, "%s%s", cfgpath, bad[_i].msg);
    ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(missing_files)
{
    struct bh_config c;
    char err[256] = "";
    ck_assert_int_eq(parse("vm_binary=nope.s\n", &c, err, sizeof err), -1);
    char want[256];
    snprintf(want, sizeof want, "%s:1: vm_binary: cannot read '%s/nope.s': No such file or directory",
             cfgpath, dir);
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(parse("vm_binary=prog.s\n\nvm_stdin=missing.txt\n", &c, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "vm1.cfg:3: vm_stdin: cannot read"));
    /* An output file need not exist yet. */
    ck_assert_int_eq(parse("vm_binary=prog.s\nvm_stdout=new.txt\n", &c, err, sizeof err), 0);
    bh_config_free(&c);
}
END_TEST

START_TEST(sizes)
{
    uint64_t v;
    ck_assert_int_eq(bh_parse_size("4096", &v), 0); ck_assert_uint_eq(v, 4096);
    ck_assert_int_eq(bh_parse_size("64K", &v), 0); ck_assert_uint_eq(v, 65536);
    ck_assert_int_eq(bh_parse_size("16m", &v), 0); ck_assert_uint_eq(v, 16u << 20);
    ck_assert_int_eq(bh_parse_size("16MiB", &v), 0); ck_assert_uint_eq(v, 16u << 20);
    ck_assert_int_eq(bh_parse_size("2GB", &v), 0); ck_assert_uint_eq(v, 2ull << 30);
    ck_assert_int_eq(bh_parse_size("", &v), -1);
    ck_assert_int_eq(bh_parse_size("0", &v), -1);
    ck_assert_int_eq(bh_parse_size("16X", &v), -1);
    ck_assert_int_eq(bh_parse_size("-1M", &v), -1);
}
END_TEST

START_TEST(sniffing)
{
#define LOOKS(s) bh_config_looks_like((const uint8_t *)(s), strlen(s))
    ck_assert(LOOKS("vm_binary=x\n"));
    ck_assert(LOOKS("# comment\n\n  vm_exec_slice_in_instructions = 100\r\n"));
    ck_assert(!LOOKS("li $1,6\nadd $4,$7,$6\n"));
    ck_assert(!LOOKS("main:\n  li $v0, 10\n"));
    ck_assert(!LOOKS("  .text\nmain: syscall\n"));
    ck_assert(!LOOKS("# only comments\n"));
    ck_assert(!LOOKS(""));
#undef LOOKS
}
END_TEST

Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, defaults_and_original_keys);
    tcase_add_test(tc, every_key_crlf_comments);
    tcase_add_test(tc, load_from_file);
    tcase_add_loop_test(tc, errors_name_file_and_line, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, missing_files);
    suite_add_tcase(s, tc);
    tc = tcase_create("values");
    tcase_add_test(tc, sizes);
    tcase_add_test(tc, sniffing);
    suite_add_tcase(s, tc);
    return s;
}
