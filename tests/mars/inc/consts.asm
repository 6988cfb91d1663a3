# consts.asm -- included by include_eqv.asm: constants only.
.eqv	BUF_WORDS	16
.eqv	GREETING_CHAR	33
