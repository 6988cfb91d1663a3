# baby_hypervisor: a plain Makefile.
#   make                 build/babyasm, build/myvmm
#   make check           every test (unit suites, end-to-end, differential, fuzz smoke)
#   make check SANITIZE=1  the same under ASan + UBSan (objects in build/san)
#   make DISPATCH=switch the plain-switch core (objects in build/switch)
#   make JIT=0           without the translation tier (objects in build/nojit;
#                        the default on hosts other than x86-64)
#   make bench           benchmarks (tests/bench)
#   make demo            the original tool's two sample VMs
#   make install         programs, man pages, bash completion, samples under
#                        $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); make uninstall
#   make deb             a Debian package in build/deb/ (dpkg-buildpackage), then lintian
# Missing tools (re2c, bison, Check, pkg-config, spim) are installed from
# Debian's packages by .ci/install-deps the first time.

CC       ?= cc
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS += -Iinclude -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
STD      := -std=c11
LDLIBS   += -lpthread -lm

BUILD := build
ifeq ($(SANITIZE),1)
  BUILD := build/san
  CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(DISPATCH),switch)
  BUILD := $(BUILD)/switch
  CPPFLAGS += -DBH_DISPATCH_SWITCH
endif
# The translation tier (vm/core/jit.c, docs/jit.md) emits x86-64 code.
JIT ?= $(if $(filter x86_64,$(shell uname -m)),1,0)
# --jit-dump disassembles the host code with Capstone: myvmm alone links it.
ifeq ($(JIT),1)
  CPPFLAGS += -DBH_JIT=1
  MYVMM_LIBS += $(shell pkg-config --libs capstone 2>/dev/null || echo -lcapstone)
else
  BUILD := $(BUILD)/nojit
  CPPFLAGS += -DBH_JIT=0
endif

GEN := $(BUILD)/gen
# The superinstructions, declared once (vm/core/superinsn.def): the enum,
# handler lists, matchers and first ops are generated from it.
# SUPER_WITHOUT="family ..." (with BUILD= another directory) builds without
# those families, as tests/bench/superinsn.sh does to measure each one.
SUPERINSN := vm/core/superinsn.def
SUPER_WITHOUT ?=
SUPER_GEN := $(GEN)/superinsn.h $(GEN)/superinsn_match.h
# vm/ in layers, top to bottom (docs/architecture.md).
VM_LAYERS := host state machine core mem dev
# Every layer's folder but host's, whose sched.h would stand for the system's
# <sched.h> (which <pthread.h> includes): host headers go by "host/NAME.h".
CPPFLAGS += -I$(GEN) -Iasm -Ivm $(patsubst %,-Ivm/%,$(filter-out host,$(VM_LAYERS))) -Icommon

# Migration authentication (vm/state/migrate_auth.c): libcrypto, required.
CPPFLAGS += $(shell pkg-config --cflags libcrypto 2>/dev/null)
LDLIBS += $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)

# PNG pictures of the bitmap display (vm/host/display_cli.c): libpng, required.
CPPFLAGS += $(shell pkg-config --cflags libpng 2>/dev/null)
LDLIBS += $(shell pkg-config --libs libpng 2>/dev/null || echo -lpng)

# babyasm --elf (asm/elf.c): libelf writes the ELF container, required.
CPPFLAGS += $(shell pkg-config --cflags libelf 2>/dev/null)
LDLIBS += $(shell pkg-config --libs libelf 2>/dev/null || echo -lelf)

# The control plane: QMP's JSON (vm/host/qmp*.c) with jansson, the
# interactive monitor's line editing (vm/host/hmp_tty.c) with libedit.
CPPFLAGS += $(shell pkg-config --cflags jansson libedit 2>/dev/null)
LDLIBS += $(shell pkg-config --libs jansson libedit 2>/dev/null || echo -ljansson -ledit)

# Optional page compression for snapshots (zstd), used when libzstd-dev is there.
ZSTD_OK := $(shell pkg-config --exists libzstd 2>/dev/null && echo yes)
ifeq ($(ZSTD_OK),yes)
  CPPFLAGS += -DBH_HAVE_ZSTD
  LDLIBS += $(shell pkg-config --libs libzstd)
endif

COMMON_SRC := $(wildcard common/*.c)
ASM_SRC    := $(filter-out %_main.c,$(wildcard asm/*.c))
# --jit-dump's writer, which links Capstone, goes into myvmm alone.
MYVMM_SRC  := vm/host/jit_dump.c
VM_SRC     := $(filter-out %_main.c $(MYVMM_SRC),$(foreach l,$(VM_LAYERS),$(wildcard vm/$(l)/*.c)))
TEST_SRC   := $(wildcard tests/check_*.c)
ifneq ($(JIT),1)
  VM_SRC   := $(filter-out vm/core/jit.c vm/core/x64emit.c,$(VM_SRC))
  TEST_SRC := $(filter-out tests/check_x64emit.c tests/check_jit.c,$(TEST_SRC))
endif

COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
ASM_OBJ    := $(ASM_SRC:%.c=$(BUILD)/%.o) $(GEN)/lexer.o $(GEN)/parser.o
VM_OBJ     := $(VM_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ   := $(TEST_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/check_runner.o

DEPS_STAMP := build/.deps-ok

.PHONY: all check unit e2e bench demo clean deps fuzz docs docs/isa.md docs/myvmm.md \
        install uninstall deb
all: $(BUILD)/babyasm $(BUILD)/myvmm

deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@bash .ci/install-deps
	@mkdir -p build && touch $@

$(BUILD)/%.o: %.c | $(DEPS_STAMP) $(SUPER_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@
$(BUILD)/asm/%.o: asm/%.c | $(DEPS_STAMP) $(GEN)/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

# Generated front end: build output, never edited.
$(GEN)/lexer.c: asm/lexer.re | $(DEPS_STAMP)
	@mkdir -p $(GEN)
	re2c --no-generation-date -W -o $@ $<
$(GEN)/parser.c $(GEN)/parser.h: asm/parser.y | $(DEPS_STAMP)
	@mkdir -p $(GEN)
	bison -Wall -Werror --defines=$(GEN)/parser.h -o $(GEN)/parser.c $<
$(GEN)/superinsn_match.h: $(GEN)/superinsn.h
$(GEN)/superinsn.h: $(SUPERINSN) vm/core/gen_superinsn.py
	@mkdir -p $(GEN)
	python3 vm/core/gen_superinsn.py $(SUPER_WITHOUT:%=--without %) $(SUPERINSN) $(GEN)/superinsn.h $(GEN)/superinsn_match.h
$(GEN)/lexer.o: $(GEN)/lexer.c $(GEN)/parser.h
	$(CC) $(STD) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-unused-function -Wno-sign-compare -MMD -MP -c $< -o $@
$(GEN)/parser.o: $(GEN)/parser.c
	$(CC) $(STD) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-unused-but-set-variable -MMD -MP -c $< -o $@

$(BUILD)/babyasm: $(BUILD)/asm/babyasm_main.o $(ASM_OBJ) $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/myvmm: $(BUILD)/vm/host/myvmm_main.o $(MYVMM_SRC:%.c=$(BUILD)/%.o) $(VM_OBJ) $(ASM_OBJ) $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(MYVMM_LIBS) $(LDLIBS)

# One Check runner for every suite: tests/check_<module>.c exports <module>_suite().
$(GEN)/suites.h: $(TEST_SRC) | $(DEPS_STAMP)
	@mkdir -p $(GEN)
	@grep -ho '^Suite \*[a-z0-9_]*_suite(void)' $(TEST_SRC) /dev/null | sed 's/^Suite \*\([a-z0-9_]*\)(void)/X(\1)/' > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
$(BUILD)/tests/check_runner.o: tests/check_runner.c $(GEN)/suites.h
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CPPFLAGS) $(CFLAGS) $(WARN) $(shell pkg-config --cflags check) -MMD -MP -c $< -o $@
$(BUILD)/tests/check_%.o: tests/check_%.c | $(DEPS_STAMP) $(GEN)/parser.h $(SUPER_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CPPFLAGS) $(CFLAGS) $(WARN) $(shell pkg-config --cflags check) -MMD -MP -c $< -o $@
$(BUILD)/check_all: $(TEST_OBJ) $(VM_OBJ) $(ASM_OBJ) $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(shell pkg-config --libs check) $(LDLIBS)

# The ISA reference is generated from include/isa.h (tests/gen_isadoc.c);
# tests/e2e/isa_doc.sh fails when the committed docs/isa.md is stale.
$(BUILD)/gen_isadoc: $(BUILD)/tests/gen_isadoc.o $(BUILD)/common/isa.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
docs/isa.md: $(BUILD)/gen_isadoc
	$(BUILD)/gen_isadoc > $@.tmp && mv $@.tmp $@
# The syscall table in docs/myvmm.md is generated from vm/machine/syscall.def
# (tests/gen_syscalldoc.c); tests/e2e/syscall_doc.sh fails when it is stale.
$(BUILD)/gen_syscalldoc: $(BUILD)/tests/gen_syscalldoc.o $(VM_OBJ) $(ASM_OBJ) $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
docs/myvmm.md: $(BUILD)/gen_syscalldoc
	$(BUILD)/gen_syscalldoc $@ > $@.tmp && mv $@.tmp $@
docs: docs/isa.md docs/myvmm.md
# common/fpfmt.c on the command line (tests/fpfmt/fpfmt_cli.c), for the
# comparisons with live spim and Java in tests/e2e/fpfmt_*.sh.
$(BUILD)/fpfmt_cli: $(BUILD)/tests/fpfmt/fpfmt_cli.o $(BUILD)/common/fpfmt.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Fuzz targets: tests/fuzz/fuzz_<name>.c -> build/fuzz/fuzz_<name>, built by
# clang with libFuzzer, ASan and UBSan from the sources themselves (not the
# objects above, which gcc may have built).  Each links common/*.c plus the
# sources listed in FUZZ_SRC_<name> (e.g. FUZZ_SRC_core := $(VM_SRC)),
# compiled once into build/fuzz/obj and shared by every target; the
# sources a target compiles with its own FUZZ_DEFS_<name> (FUZZ_OWN_<name>)
# go to build/fuzz/obj-<name>.
FUZZ_CC    ?= clang
# -O0: clang's -O1 with the sanitizers takes minutes on the core's one big
# dispatch function (hundreds of fused handlers); -O0 builds it in ~20 s.
FUZZ_SAN   := -g -O0 -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_FLAGS := $(FUZZ_SAN) -fsanitize=fuzzer,address,undefined
FUZZ_OFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer-no-link,address,undefined
FUZZ_OBJ   := build/fuzz/obj
FUZZ_SRC_snapshot := $(VM_SRC)
FUZZ_SRC_core := $(VM_SRC)
FUZZ_SRC_jit := $(VM_SRC)
FUZZ_SRC_clock := vm/dev/clock.c
FUZZ_SRC_gdb := vm/host/gdb_proto.c
FUZZ_SRC_disk := $(VM_SRC)
FUZZ_SRC_nic := vm/dev/nic.c
FUZZ_SRC_netlink := vm/host/netlink_proto.c
FUZZ_SRC_asm := $(ASM_SRC) $(GEN)/lexer.c $(GEN)/parser.c
FUZZ_SRC_qmp := $(VM_SRC) $(ASM_SRC) $(GEN)/lexer.c $(GEN)/parser.c
# step N at most 1000 steps a line: the same paths, without minutes per input
FUZZ_DEFS_qmp := -DBH_HMP_MAX_STEPS=1000u
FUZZ_OWN_qmp := vm/host/hmp.c
# The assembler's budget scaled down 100 times: the same paths, but an input
# that reaches a limit costs milliseconds, not seconds (check_asm_limits.c
# tests the real limits).
FUZZ_DEFS_asm := -DASM_MAX_STMTS=20000u -DASM_MAX_OPNDS=80000u -DASM_MAX_INCLUDED=655360u \
                 -DASM_MAX_INCLUDES=655u -DASM_MAX_OUTPUT=167772u
FUZZ_OWN_asm := $(FUZZ_SRC_asm)
FUZZ_BIN   := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
ifneq ($(JIT),1)
  FUZZ_BIN := $(filter-out build/fuzz/fuzz_jit,$(FUZZ_BIN))
endif
fuzz: $(FUZZ_BIN)
fuzz_objs = $(patsubst %.c,$(FUZZ_OBJ)/%.o,$(filter-out $(FUZZ_OWN_$1),$(COMMON_SRC) $(FUZZ_SRC_$1))) \
            $(patsubst %.c,$(FUZZ_OBJ)-$1/%.o,$(FUZZ_OWN_$1))
$(FUZZ_OBJ)/%.o: %.c $(SUPER_GEN)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(CPPFLAGS) $(FUZZ_OFLAGS) $(WARN) -MMD -MP -c $< -o $@
define FUZZ_OWN_RULE
$(FUZZ_OBJ)-$1/%.o: %.c $(SUPER_GEN)
	@mkdir -p $$(dir $$@)
	$(FUZZ_CC) $(STD) $(CPPFLAGS) $(FUZZ_DEFS_$1) $(FUZZ_OFLAGS) $(WARN) -MMD -MP -c $$< -o $$@
endef
$(foreach t,qmp asm,$(eval $(call FUZZ_OWN_RULE,$t)))
.PRECIOUS: $(FUZZ_OBJ)/%.o $(FUZZ_OBJ)-%
.SECONDEXPANSION:
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(call fuzz_objs,$$*) $(wildcard include/*.h asm/*.h) $(SUPER_GEN)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(CPPFLAGS) $(FUZZ_DEFS_$*) $(FUZZ_FLAGS) $(WARN) -o $@ $< $(call fuzz_objs,$*) $(LDLIBS)

SAN_FLAG := $(if $(filter 1,$(SANITIZE)),SANITIZE=1)
# Under the sanitizers the migration fault test runs 8 of its 24 cases
# (each mode twice): a sanitized VM is ten times slower and CI runs both.
SAN_E2E := $(if $(filter 1,$(SANITIZE)),MIGRATE_FAULT_CASES=8)
# The unit suites, then the end-to-end tests, one after the other (even
# with -j, so timing-sensitive tests do not compete); both always run, and
# the unit failures are repeated at the end, where a log's tail shows them.
check: $(BUILD)/check_all $(BUILD)/babyasm $(BUILD)/myvmm $(BUILD)/gen_isadoc $(BUILD)/gen_syscalldoc $(BUILD)/fpfmt_cli
	@rc=0; { $(BUILD)/check_all || echo "unit: check_all failed"; } 2>&1 | tee $(BUILD)/unit.log; \
	grep -q '^unit: check_all failed' $(BUILD)/unit.log && rc=1; \
	BUILD=$(BUILD) $(SAN_E2E) bash tests/run_e2e.sh || rc=1; \
	if grep -q '^unit: check_all failed' $(BUILD)/unit.log; then \
	    echo "unit failures (the full log: $(BUILD)/unit.log):"; grep -E ':[EF]:' $(BUILD)/unit.log; fi; \
	exit $$rc
unit: $(BUILD)/check_all
	$(BUILD)/check_all
e2e: $(BUILD)/babyasm $(BUILD)/myvmm $(BUILD)/gen_isadoc $(BUILD)/gen_syscalldoc $(BUILD)/fpfmt_cli
	BUILD=$(BUILD) bash tests/run_e2e.sh

bench: all
	bash .ci/install-deps bench || echo "bench: some comparison systems are missing: their columns say n/a"
	bash tests/bench/run.sh

demo: all
	cd samples && ../$(BUILD)/myvmm -v assembly_file_vm1.txt -v assembly_file_vm2.txt

# Installs as a Unix tool: the programs, their man pages (docs/man/, mdoc),
# bash completion (the options come from --help), and the samples.
# make uninstall removes exactly these files, and the folders that held
# only them.  tests/e2e/install.sh checks the tree.
PREFIX  ?= /usr/local
BINDIR  := $(PREFIX)/bin
MAN1DIR := $(PREFIX)/share/man/man1
COMPDIR := $(PREFIX)/share/bash-completion/completions
DATADIR := $(PREFIX)/share/baby-hypervisor
# The tracked samples (not what make demo or a tour wrote beside them);
# in a copy without .git, as make deb builds in, every file.
SAMPLES := $(sort $(if $(wildcard .git),$(shell git ls-files samples),$(shell find samples -type f)))
SAMPLE_DIRS := $(sort $(patsubst %/,%,$(dir $(SAMPLES))))
install: $(BUILD)/babyasm $(BUILD)/myvmm
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(COMPDIR) \
	        $(SAMPLE_DIRS:%=$(DESTDIR)$(DATADIR)/%)
	install -m 755 $(BUILD)/babyasm $(BUILD)/myvmm $(DESTDIR)$(BINDIR)/
	install -m 644 docs/man/babyasm.1 docs/man/myvmm.1 $(DESTDIR)$(MAN1DIR)/
	install -m 644 docs/bash-completion/myvmm $(DESTDIR)$(COMPDIR)/myvmm
	ln -sf myvmm $(DESTDIR)$(COMPDIR)/babyasm
	for f in $(SAMPLES); do install -m 644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/babyasm $(DESTDIR)$(BINDIR)/myvmm \
	      $(DESTDIR)$(MAN1DIR)/babyasm.1 $(DESTDIR)$(MAN1DIR)/myvmm.1 \
	      $(DESTDIR)$(COMPDIR)/myvmm $(DESTDIR)$(COMPDIR)/babyasm \
	      $(SAMPLES:%=$(DESTDIR)$(DATADIR)/%)
	for d in $(SAMPLE_DIRS:%=$(DESTDIR)$(DATADIR)/%) $(DESTDIR)$(DATADIR); do echo "$$d"; done | \
	    sort -r | xargs -r rmdir --ignore-fail-on-non-empty

# A Debian package (debian/), built by dpkg-buildpackage in a copy of the
# tracked files under build/deb/ (it writes its .deb beside the tree it
# builds, and its work files inside it), then checked by lintian.
DEB_DIR := build/deb
deb:
	bash .ci/install-deps deb
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/baby-hypervisor
	git ls-files -z | xargs -0 cp --parents -t $(DEB_DIR)/baby-hypervisor
	cd $(DEB_DIR)/baby-hypervisor && dpkg-buildpackage -us -uc -b
	lintian --fail-on error $(DEB_DIR)/*.changes
	@ls $(DEB_DIR)/*.deb

clean:
	rm -rf build

-include $(sort $(shell find $(BUILD) build/fuzz -name '*.d' 2>/dev/null))
