#!/usr/bin/env bash
# A short libFuzzer run of the assembler (tests/fuzz/fuzz_asm.c): mutated
# source text is assembled; a refusal must come with an error, an accepted
# image must write and read back.  Seeds: the programs of tests/spim/,
# tests/mars/, tests/asm/ and samples/, and the inputs that once hung it
# (a macro calling itself twice; issue 12).
seeds() {
    cp "$TOP"/tests/spim/*.s "$TOP"/tests/mars/*.asm "$TOP"/tests/asm/*.s "$TOP"/samples/*.s \
        "$CORPUS/" || return 1
    printf '.macro f(%%a)\n\tf(%%a)\n\tf(%%a)\n.end_macro\nmain:\n\tf(1)\n' > "$CORPUS/fan_out.s"
}
export -f seeds
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_asm 4096 bash -c seeds
