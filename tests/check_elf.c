/* check_elf.c: babyasm --elf's writer (asm/elf.c, bh_elf_write).  The
 * bytes it returns are read back with libelf's reader: the header gdb
 * chooses its architecture by, one section and one PT_LOAD per segment
 * holding the segment's bytes at its address, and the symbol table:
 * locals first, the kind and the size of each label, __start for the
 * start-up code.  (tests/e2e/asm_elf.sh reads real files with binutils
 * and gdb.) */
#include <check.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "asm_test_util.h"

struct elf_file {
    uint8_t *bytes;
    size_t len;
    Elf *e;
    struct bh_image img;
};

static void write_elf(const char *src, struct elf_file *f)
{
    struct bh_asm_result res;
    int rc = asm_str_flags(src, 0, &f->img, &res);
    ck_assert_msg(rc == 0, "%s", (char *)res.diag.data);
    bh_asm_result_free(&res);
    char err[256];
    rc = bh_elf_write(&f->img, "/src", &f->bytes, &f->len, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
    f->e = elf_memory((char *)f->bytes, f->len);
    ck_assert_ptr_nonnull(f->e);
    ck_assert_int_eq(elf_kind(f->e), ELF_K_ELF);
}

static void close_elf(struct elf_file *f)
{
    elf_end(f->e);
    free(f->bytes);
    bh_image_free(&f->img);
}

static Elf_Scn *section_named(Elf *e, const char *name, GElf_Shdr *sh)
{
    size_t shstrndx;
    ck_assert_int_eq(elf_getshdrstrndx(e, &shstrndx), 0);
    for (Elf_Scn *s = elf_nextscn(e, NULL); s; s = elf_nextscn(e, s)) {
        ck_assert_ptr_nonnull(gelf_getshdr(s, sh));
        const char *n = elf_strptr(e, shstrndx, sh->sh_name);
        if (n && !strcmp(n, name))
            return s;
    }
    return NULL;
}

struct esym {
    const char *name;
    GElf_Sym s;
    size_t index;
};

/* Symbol `name` of .symtab; fails when there is none or more than one. */
static struct esym symbol(Elf *e, const char *name)
{
    GElf_Shdr sh;
    Elf_Scn *scn = section_named(e, ".symtab", &sh);
    ck_assert_ptr_nonnull(scn);
    Elf_Data *d = elf_getdata(scn, NULL);
    struct esym found = {0};
    size_t n = sh.sh_size / sh.sh_entsize;
    for (size_t i = 1; i < n; i++) {
        GElf_Sym s;
        ck_assert_ptr_nonnull(gelf_getsym(d, (int)i, &s));
        if (strcmp(elf_strptr(e, sh.sh_link, s.st_name), name))
            continue;
        ck_assert_msg(!found.name, "symbol %s twice", name);
        found = (struct esym){name, s, i};
    }
    ck_assert_msg(found.name != NULL, "no symbol %s", name);
    /* Locals before sh_info, globals from it on. */
    ck_assert_int_eq(found.index >= sh.sh_info, GELF_ST_BIND(found.s.st_info) == STB_GLOBAL);
    return found;
}

static void expect_symbol(Elf *e, const char *name, uint32_t value, uint32_t size, int type,
                          int bind, const char *section)
{
    struct esym y = symbol(e, name);
    ck_assert_msg(y.s.st_value == value, "%s at 0x%llx, want 0x%x", name,
                  (unsigned long long)y.s.st_value, value);
    ck_assert_msg(y.s.st_size == size, "%s of %llu bytes, want %u", name,
                  (unsigned long long)y.s.st_size, size);
    ck_assert_int_eq(GELF_ST_TYPE(y.s.st_info), type);
    ck_assert_int_eq(GELF_ST_BIND(y.s.st_info), bind);
    if (section) {
        GElf_Shdr sh;
        Elf_Scn *scn = section_named(e, section, &sh);
        ck_assert_ptr_nonnull(scn);
        ck_assert_uint_eq(y.s.st_shndx, elf_ndxscn(scn));
    } else {
        ck_assert_uint_eq(y.s.st_shndx, SHN_ABS);
    }
}

START_TEST(test_header_and_segments)
{
    struct elf_file f;
    write_elf("main: li $v0, 10\n syscall\n .data\nmsg: .asciiz \"hi\"\n"
              " .ktext 0x80000180\n eret\n .kdata\nk: .word 5\n",
              &f);
    GElf_Ehdr eh;
    ck_assert_ptr_nonnull(gelf_getehdr(f.e, &eh));
    ck_assert_int_eq(eh.e_ident[EI_CLASS], ELFCLASS32);
    ck_assert_int_eq(eh.e_ident[EI_DATA], ELFDATA2LSB);
    ck_assert_int_eq(eh.e_type, ET_EXEC);
    ck_assert_int_eq(eh.e_machine, EM_MIPS);
    ck_assert_uint_eq(eh.e_entry, BH_TEXT_BASE);
    /* What GNU as writes for -march=mips32 with .set noreorder: MIPS32,
     * o32, noreorder. */
    ck_assert_uint_eq(eh.e_flags, 0x50001001u);
    static const char *const names[BH_SEG_COUNT] = {".text", ".data", ".ktext", ".kdata"};
    static const int exec[BH_SEG_COUNT] = {1, 0, 1, 0};
    size_t nph;
    ck_assert_int_eq(elf_getphdrnum(f.e, &nph), 0);
    ck_assert_uint_eq(nph, BH_SEG_COUNT);
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        const struct bh_segment *g = &f.img.seg[s];
        ck_assert_uint_gt(g->size, 0);
        GElf_Shdr sh;
        ck_assert_ptr_nonnull(section_named(f.e, names[s], &sh));
        ck_assert_uint_eq(sh.sh_type, SHT_PROGBITS);
        ck_assert_uint_eq(sh.sh_addr, g->addr);
        ck_assert_uint_eq(sh.sh_size, g->size);
        ck_assert_uint_eq(sh.sh_flags, SHF_ALLOC | (exec[s] ? SHF_EXECINSTR : SHF_WRITE));
        GElf_Phdr ph;
        ck_assert_ptr_nonnull(gelf_getphdr(f.e, s, &ph));
        ck_assert_uint_eq(ph.p_type, PT_LOAD);
        ck_assert_uint_eq(ph.p_vaddr, g->addr);
        ck_assert_uint_eq(ph.p_paddr, g->addr);
        ck_assert_uint_eq(ph.p_filesz, g->size);
        ck_assert_uint_eq(ph.p_memsz, g->size);
        ck_assert_uint_eq(ph.p_flags, PF_R | (exec[s] ? PF_X : PF_W));
        ck_assert_uint_eq(ph.p_offset % ph.p_align, ph.p_vaddr % ph.p_align);
        ck_assert_uint_le(ph.p_offset + ph.p_filesz, f.len);
        ck_assert_mem_eq(f.bytes + ph.p_offset, g->bytes, g->size);
    }
    static const char *const debug[] = {".debug_abbrev", ".debug_info", ".debug_line",
                                        ".debug_ranges"};
    for (size_t i = 0; i < 4; i++) {
        GElf_Shdr sh;
        ck_assert_msg(section_named(f.e, debug[i], &sh) != NULL, "no %s", debug[i]);
        ck_assert_uint_eq(sh.sh_flags & SHF_ALLOC, 0);
        ck_assert_uint_gt(sh.sh_size, 0);
    }
    close_elf(&f);
}
END_TEST

START_TEST(test_only_nonempty_segments)
{
    /* __start: no start-up code, and no data, ktext or kdata. */
    struct elf_file f;
    write_elf(".globl __start\n__start: li $v0, 10\n syscall\n", &f);
    GElf_Ehdr eh;
    ck_assert_ptr_nonnull(gelf_getehdr(f.e, &eh));
    ck_assert_uint_eq(eh.e_entry, BH_TEXT_BASE);
    size_t nph;
    ck_assert_int_eq(elf_getphdrnum(f.e, &nph), 0);
    ck_assert_uint_eq(nph, 1);
    GElf_Shdr sh;
    ck_assert_ptr_nonnull(section_named(f.e, ".text", &sh));
    ck_assert_ptr_null(section_named(f.e, ".data", &sh));
    ck_assert_ptr_null(section_named(f.e, ".ktext", &sh));
    expect_symbol(f.e, "__start", BH_TEXT_BASE, 8, STT_FUNC, STB_GLOBAL, ".text");
    close_elf(&f);
}
END_TEST

START_TEST(test_symbols)
{
    /* Labels sized up to the next higher label of their segment (two at
     * one address share a size), the last to the segment's end, one at
     * the very end with size 0; locals and globals; data objects; a
     * segment that only has a label gets no section (the label is an
     * absolute value). */
    struct elf_file f;
    write_elf("\t.globl main\n"
              "main:\n"
              "\tli $t0, 0x12345678\n" /* 2 words */
              "loop:\n"
              "again:\taddu $t0, $t0, $t0\n"
              "\tjr $ra\n"
              "end:\n"
              "\t.data\n"
              "a:\t.byte 1, 2, 3\n"
              "b:\t.word 4\n" /* aligned: a has 4 bytes */
              "\t.globl c\n"
              "c:\t.asciiz \"xyz\"\n"
              "\t.kdata\n"
              "lonely:\n",
              &f);
    uint32_t m = BH_TEXT_BASE + 36; /* after SPIM's start-up code */
    expect_symbol(f.e, "__start", BH_TEXT_BASE, 36, STT_FUNC, STB_GLOBAL, ".text");
    expect_symbol(f.e, "main", m, 8, STT_FUNC, STB_GLOBAL, ".text");
    expect_symbol(f.e, "loop", m + 8, 8, STT_FUNC, STB_LOCAL, ".text");
    expect_symbol(f.e, "again", m + 8, 8, STT_FUNC, STB_LOCAL, ".text");
    expect_symbol(f.e, "end", m + 16, 0, STT_FUNC, STB_LOCAL, ".text");
    expect_symbol(f.e, "a", BH_DATA_BASE, 4, STT_OBJECT, STB_LOCAL, ".data");
    expect_symbol(f.e, "b", BH_DATA_BASE + 4, 4, STT_OBJECT, STB_LOCAL, ".data");
    expect_symbol(f.e, "c", BH_DATA_BASE + 8, 4, STT_OBJECT, STB_GLOBAL, ".data");
    expect_symbol(f.e, "lonely", BH_KDATA_BASE, 0, STT_NOTYPE, STB_LOCAL, NULL);
    close_elf(&f);
}
END_TEST

Suite *elf_suite(void)
{
    Suite *s = suite_create("elf");
    TCase *c = tcase_create("container");
    tcase_add_test(c, test_header_and_segments);
    tcase_add_test(c, test_only_nonempty_segments);
    suite_add_tcase(s, c);
    TCase *y = tcase_create("symbols");
    tcase_add_test(y, test_symbols);
    suite_add_tcase(s, y);
    return s;
}
