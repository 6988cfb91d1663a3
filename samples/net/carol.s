# carol.s -- one of the three chatters (chat.s).
	.data
me:	.asciiz	"carol"

	.include "chat.s"
