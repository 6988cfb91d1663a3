/* elf.c: babyasm --elf, the image as an ELF executable that gdb, objdump
 * and readelf understand (include/babyasm.h, bh_elf_write).
 *
 * libelf writes the container: the header (ELF32, little-endian, EM_MIPS,
 * ET_EXEC, the image's entry), a section and a PT_LOAD per non-empty
 * segment at its guest address, .symtab with every label, the DWARF that
 * asm/dwarf.c builds, and the section names.  The flags are what GNU as
 * gives MIPS32 code written with ".set noreorder" (our assembler fills no
 * delay slot), o32, so gdb-multiarch picks mips:isa32 and the o32 ABI
 * from the file alone.  libelf writes to a file descriptor: an anonymous
 * temporary file, read back, so the caller writes the result as it writes
 * an image (whole, or not at all).
 */
#include <errno.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "babyasm.h"
#include "dwarf.h"

/* binutils' E_MIPS_ABI_O32 (include/elf/mips.h), which <elf.h> lacks. */
#define EF_MIPS_ABI_O32 0x00001000u
#define MIPS32_FLAGS (EF_MIPS_ARCH_32 | EF_MIPS_ABI_O32 | EF_MIPS_NOREORDER)

static const struct {
    const char *name;
    Elf32_Word sh_flags, p_flags, st_type;
} seg_elf[BH_SEG_COUNT] = {
    [BH_SEG_TEXT] = {".text", SHF_ALLOC | SHF_EXECINSTR, PF_R | PF_X, STT_FUNC},
    [BH_SEG_DATA] = {".data", SHF_ALLOC | SHF_WRITE, PF_R | PF_W, STT_OBJECT},
    [BH_SEG_KTEXT] = {".ktext", SHF_ALLOC | SHF_EXECINSTR, PF_R | PF_X, STT_FUNC},
    [BH_SEG_KDATA] = {".kdata", SHF_ALLOC | SHF_WRITE, PF_R | PF_W, STT_OBJECT},
};

/* One writing: libelf's handle and the section names, which are offsets
 * into .shstrtab (written last, once it holds them all). */
struct out {
    Elf *e;
    struct bh_buf shstr;
    char *err;
    size_t errlen;
};

static int elf_fail(struct out *o, const char *what)
{
    return bh_errf(o->err, o->errlen, "ELF: %s: %s", what, elf_errmsg(-1));
}

/* A section holding size bytes of buf (which must live until the file is
 * written), or NULL with the error in o->err. */
static Elf_Scn *add_section(struct out *o, const char *name, Elf32_Word type, Elf32_Word flags,
                            Elf32_Addr addr, void *buf, size_t size, size_t align, Elf_Type dtype)
{
    Elf_Scn *scn = elf_newscn(o->e);
    Elf_Data *d = scn ? elf_newdata(scn) : NULL;
    Elf32_Shdr *sh = scn ? elf32_getshdr(scn) : NULL;
    if (!d || !sh) {
        elf_fail(o, name);
        return NULL;
    }
    d->d_buf = buf;
    d->d_size = size;
    d->d_align = align;
    d->d_type = dtype;
    d->d_version = EV_CURRENT;
    sh->sh_name = (Elf32_Word)o->shstr.len;
    bh_buf_append(&o->shstr, name, strlen(name) + 1);
    sh->sh_type = type;
    sh->sh_flags = flags;
    sh->sh_addr = addr;
    sh->sh_addralign = align;
    return scn;
}

/* The alignment a segment's address allows, up to a word: its file
 * offset then agrees with its address modulo the PT_LOAD's p_align. */
static size_t seg_align(uint32_t addr)
{
    return addr % 4 == 0 ? 4 : addr % 2 == 0 ? 2 : 1;
}

/* ---- symbols ------------------------------------------------------------ */

struct sym {
    const char *name;
    uint32_t value, size;
    uint8_t kind, global;
};

/* Every label of the image, and __start for SPIM's start-up code (SPIM's
 * name for it), so that a backtrace past main names its caller.  A label
 * of a segment is sized up to the segment's next higher label, or to its
 * end: gdb then knows which label an address is in.  The image lists
 * symbols by address, so one pass from the end finds each next label. */
static struct sym *collect_symbols(const struct bh_image *img, uint32_t *n)
{
    struct sym *v = malloc((img->nsymbols + 1u) * sizeof *v);
    if (!v)
        return NULL;
    *n = 0;
    if (img->flags & BH_IMG_STARTUP)
        v[(*n)++] = (struct sym){"__start", BH_TEXT_BASE, 0, BH_SYM_TEXT, 1};
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const struct bh_symbol *s = &img->symbols[i];
        v[(*n)++] = (struct sym){bh_image_str(img, s->name), s->value, 0, s->kind,
                                 (s->flags & BH_SYM_GLOBAL) != 0};
    }
    uint32_t group[BH_SEG_COUNT], next[BH_SEG_COUNT];
    for (int s = 0; s < BH_SEG_COUNT; s++)
        group[s] = next[s] = img->seg[s].addr + img->seg[s].size;
    for (uint32_t i = *n; i-- > 0;) {
        struct sym *y = &v[i];
        if (y->kind >= BH_SEG_COUNT)
            continue;
        if (y->value != group[y->kind]) {
            next[y->kind] = group[y->kind];
            group[y->kind] = y->value;
        }
        y->size = y->value <= next[y->kind] ? next[y->kind] - y->value : 0;
    }
    return v;
}

/* .symtab's entries and .strtab: the null symbol, the local labels, then
 * the global ones (ELF wants locals first; sh_info is the first global). */
static Elf32_Sym *symbol_table(const struct bh_image *img, const struct sym *v, uint32_t n,
                               const size_t *scn_index, struct bh_buf *strtab,
                               uint32_t *first_global)
{
    Elf32_Sym *t = calloc(n + 1u, sizeof *t);
    if (!t)
        return NULL;
    bh_buf_put8(strtab, 0);
    uint32_t k = 1;
    for (int global = 0; global < 2; global++) {
        if (global)
            *first_global = k;
        for (uint32_t i = 0; i < n; i++) {
            const struct sym *y = &v[i];
            if (y->global != global)
                continue;
            Elf32_Sym *o = &t[k++];
            o->st_name = (Elf32_Word)strtab->len;
            bh_buf_append(strtab, y->name, strlen(y->name) + 1);
            o->st_value = y->value;
            /* A label in a segment is in its section (its end included);
             * anything else is an absolute value. */
            const struct bh_segment *g = y->kind < BH_SEG_COUNT ? &img->seg[y->kind] : NULL;
            int inside = g && g->size && y->value - g->addr <= g->size;
            o->st_size = inside ? y->size : 0;
            o->st_shndx = inside ? (Elf32_Half)scn_index[y->kind] : SHN_ABS;
            o->st_info = ELF32_ST_INFO(global ? STB_GLOBAL : STB_LOCAL,
                                       inside ? seg_elf[y->kind].st_type : STT_NOTYPE);
        }
    }
    return t;
}

/* ---- the file ----------------------------------------------------------- */

static int write_sections(struct out *o, const struct bh_image *img, const struct asm_dwarf *dw,
                          Elf32_Sym *syms, uint32_t nsyms, uint32_t first_global,
                          const struct bh_buf *strtab)
{
    Elf_Scn *symtab =
        add_section(o, ".symtab", SHT_SYMTAB, 0, 0, syms, nsyms * sizeof *syms, 4, ELF_T_SYM);
    Elf_Scn *str = symtab ? add_section(o, ".strtab", SHT_STRTAB, 0, 0, strtab->data, strtab->len,
                                        1, ELF_T_BYTE)
                          : NULL;
    if (!str)
        return -1;
    Elf32_Shdr *sh = elf32_getshdr(symtab);
    sh->sh_link = (Elf32_Word)elf_ndxscn(str);
    sh->sh_info = first_global;
    sh->sh_entsize = sizeof(Elf32_Sym);
    const struct {
        const char *name;
        const struct bh_buf *b;
    } debug[] = {{".debug_abbrev", &dw->abbrev},
                 {".debug_info", &dw->info},
                 {".debug_line", &dw->line},
                 {".debug_ranges", &dw->ranges}};
    for (size_t i = 0; i < sizeof debug / sizeof debug[0]; i++)
        if (!add_section(o, debug[i].name, SHT_PROGBITS, 0, 0, debug[i].b->data, debug[i].b->len, 1,
                         ELF_T_BYTE))
            return -1;
    /* Its own name goes in before it is handed over: the buffer must not move. */
    const char *name = ".shstrtab";
    size_t at = o->shstr.len;
    bh_buf_append(&o->shstr, name, strlen(name) + 1);
    if (o->shstr.oom)
        return bh_errf(o->err, o->errlen, "ELF: out of memory");
    Elf_Scn *shs = elf_newscn(o->e);
    Elf_Data *d = shs ? elf_newdata(shs) : NULL;
    if (!d)
        return elf_fail(o, name);
    d->d_buf = o->shstr.data;
    d->d_size = o->shstr.len;
    d->d_align = 1;
    d->d_type = ELF_T_BYTE;
    d->d_version = EV_CURRENT;
    sh = elf32_getshdr(shs);
    sh->sh_name = (Elf32_Word)at;
    sh->sh_type = SHT_STRTAB;
    sh->sh_addralign = 1;
    elf32_getehdr(o->e)->e_shstrndx = (Elf32_Half)elf_ndxscn(shs);
    return 0;
}

/* The segments, their PT_LOAD headers (once libelf has placed the
 * sections), and everything else; then the file, written to fd. */
static int write_elf(struct out *o, int fd, const struct bh_image *img, const struct asm_dwarf *dw,
                     const struct sym *v, uint32_t nv)
{
    o->e = elf_begin(fd, ELF_C_WRITE, NULL);
    Elf32_Ehdr *eh = o->e ? elf32_newehdr(o->e) : NULL;
    if (!eh)
        return elf_fail(o, "header");
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_MIPS;
    eh->e_version = EV_CURRENT;
    eh->e_entry = img->entry;
    eh->e_flags = MIPS32_FLAGS;
    size_t nseg = 0, scn_index[BH_SEG_COUNT] = {0};
    Elf_Scn *seg_scn[BH_SEG_COUNT] = {0};
    for (int s = 0; s < BH_SEG_COUNT; s++)
        nseg += img->seg[s].size != 0;
    Elf32_Phdr *ph = elf32_newphdr(o->e, nseg);
    if (!ph)
        return elf_fail(o, "program headers");
    bh_buf_put8(&o->shstr, 0);
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        const struct bh_segment *g = &img->seg[s];
        if (!g->size)
            continue;
        seg_scn[s] = add_section(o, seg_elf[s].name, SHT_PROGBITS, seg_elf[s].sh_flags, g->addr,
                                 g->bytes, g->size, seg_align(g->addr), ELF_T_BYTE);
        if (!seg_scn[s])
            return -1;
        scn_index[s] = elf_ndxscn(seg_scn[s]);
    }
    struct bh_buf strtab = {0};
    uint32_t first_global = 1;
    Elf32_Sym *syms = symbol_table(img, v, nv, scn_index, &strtab, &first_global);
    int rc = !syms || strtab.oom ? bh_errf(o->err, o->errlen, "ELF: out of memory")
                                 : write_sections(o, img, dw, syms, nv + 1, first_global, &strtab);
    if (rc == 0 && elf_update(o->e, ELF_C_NULL) < 0)
        rc = elf_fail(o, "layout");
    for (int s = 0, i = 0; rc == 0 && s < BH_SEG_COUNT; s++) {
        if (!seg_scn[s])
            continue;
        const Elf32_Shdr *sh = elf32_getshdr(seg_scn[s]);
        ph[i++] = (Elf32_Phdr){.p_type = PT_LOAD,
                               .p_offset = sh->sh_offset,
                               .p_vaddr = sh->sh_addr,
                               .p_paddr = sh->sh_addr,
                               .p_filesz = sh->sh_size,
                               .p_memsz = sh->sh_size,
                               .p_flags = seg_elf[s].p_flags,
                               .p_align = sh->sh_addralign};
    }
    if (rc == 0) {
        elf_flagphdr(o->e, ELF_C_SET, ELF_F_DIRTY);
        if (elf_update(o->e, ELF_C_WRITE) < 0)
            rc = elf_fail(o, "write");
    }
    free(syms);
    bh_buf_free(&strtab);
    return rc;
}

/* The whole of the temporary file fd. */
static int read_back(int fd, uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return bh_errf(err, errlen, "ELF: temporary file: %s", strerror(errno));
    uint8_t *b = malloc((size_t)st.st_size + 1);
    if (!b)
        return bh_errf(err, errlen, "ELF: out of memory");
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = pread(fd, b + got, (size_t)st.st_size - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(b);
            return bh_errf(err, errlen, "ELF: temporary file: %s",
                           r < 0 ? strerror(errno) : "shorter than written");
        }
        got += (size_t)r;
    }
    *out = b;
    *outlen = got;
    return 0;
}

int bh_elf_write(const struct bh_image *img, const char *comp_dir, uint8_t **out, size_t *outlen,
                 char *err, size_t errlen)
{
    *out = NULL;
    *outlen = 0;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return bh_errf(err, errlen, "ELF: libelf: %s", elf_errmsg(-1));
    struct asm_dwarf dw;
    if (asm_dwarf_build(img, comp_dir, "babyasm " BH_VERSION, &dw, err, errlen))
        return -1;
    uint32_t nv = 0;
    struct sym *v = collect_symbols(img, &nv);
    FILE *tmp = v ? tmpfile() : NULL;
    int rc;
    if (!v)
        rc = bh_errf(err, errlen, "ELF: out of memory");
    else if (!tmp)
        rc = bh_errf(err, errlen, "ELF: cannot make a temporary file: %s", strerror(errno));
    else {
        struct out o = {.err = err, .errlen = errlen};
        rc = write_elf(&o, fileno(tmp), img, &dw, v, nv);
        if (o.e)
            elf_end(o.e);
        bh_buf_free(&o.shstr);
        if (rc == 0)
            rc = read_back(fileno(tmp), out, outlen, err, errlen);
    }
    if (tmp)
        fclose(tmp);
    free(v);
    asm_dwarf_free(&dw);
    return rc;
}
