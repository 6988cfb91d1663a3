# alice.s -- one of the three chatters (chat.s).
	.data
me:	.asciiz	"alice"

	.include "chat.s"
