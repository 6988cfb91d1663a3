# chat.s -- the broadcast chat (docs/network.md): alice.s, bob.s and
# carol.s each define `me` (the speaker's name) and include this.  Each
# VM broadcasts three lines "NAME: MESSAGE" to everyone on lan0, then
# prints the six lines the two others said, and exits.
# Run: build/myvmm -j 2 -v samples/net/alice.cfg -v samples/net/bob.cfg -v samples/net/carol.cfg
	.data
	.align	2
frame:	.byte	0xff, 0xff, 0xff, 0xff, 0xff, 0xff	# to everyone (broadcast)
	.space	6			# from: our MAC (put_mac)
	.byte	0x88, 0xb5		# EtherType 0x88b5
	.byte	0, 0
text:	.space	64			# "NAME: MESSAGE", NUL-terminated: 80 bytes in all
m1:	.asciiz	"hello"
m2:	.asciiz	"is anyone there?"
m3:	.asciiz	"bye"
	.align	2
msgs:	.word	m1, m2, m3
sep:	.asciiz	": "
hears:	.asciiz	" hears "
nl:	.asciiz	"\n"
	.text
main:	jal	nic_init
	la	$a0, frame
	addiu	$a0, $a0, 6
	jal	put_mac
	li	$s0, 0			# lines said
say:	la	$a0, text
	la	$a1, me
	jal	strcpy
	move	$a0, $v0
	la	$a1, sep
	jal	strcpy
	move	$a0, $v0
	sll	$t0, $s0, 2
	la	$t1, msgs
	addu	$t1, $t1, $t0
	lw	$a1, 0($t1)
	jal	strcpy
	la	$a0, frame
	li	$a1, 80
	jal	nic_send
	addiu	$s0, $s0, 1
	blt	$s0, 3, say
	li	$s1, 0			# lines heard
hear:	jal	nic_recv
	beqz	$v0, fail
	move	$s2, $v0
	sb	$zero, 79($s2)		# whatever came, the text ends in the frame
	la	$a0, me
	li	$v0, 4
	syscall
	la	$a0, hears
	syscall
	addiu	$a0, $s2, 16
	syscall
	la	$a0, nl
	syscall
	jal	nic_done
	addiu	$s1, $s1, 1
	blt	$s1, 6, hear
	li	$v0, 10
	syscall
fail:	li	$a0, 1
	li	$v0, 17			# exit2 1
	syscall

# strcpy($a0 to, $a1 from): $v0 = where the NUL went.
strcpy:	lbu	$t0, 0($a1)
	sb	$t0, 0($a0)
	beqz	$t0, sc_end
	addiu	$a0, $a0, 1
	addiu	$a1, $a1, 1
	b	strcpy
sc_end:	move	$v0, $a0
	jr	$ra

	.include "nic.s"
