# bob.s -- one of the three chatters (chat.s).
	.data
me:	.asciiz	"bob"

	.include "chat.s"
