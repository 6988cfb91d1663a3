# log.s -- a log on the VM's disk (docs/devices.md, "The block device").
# Sector 0 holds the number of entries, sector 1 + i entry i (a string).
# It shows the log, appends "boot", saves the machine (SNAPSHOT
# disklog.snap), appends "after the snapshot", and shows the log again.
# A restore of disklog.snap goes on after the SNAPSHOT with the disk as it
# was then (one entry), so it appends the same second entry and prints
# what the first run printed last; samples/disk/README.md runs both.
	.data
	.align	2
head:	.space	512			# sector 0: the entry count in its first word
buf:	.space	512			# one entry
boot:	.asciiz	"boot"
after:	.asciiz	"after the snapshot"
has:	.asciiz	"the log has "
entries: .asciiz " entries:\n"
indent:	.asciiz	"  "
ioerr:	.asciiz	"disk error "
	.text
main:	li	$s0, 0xffff0200		# the disk's registers (SPIM machine)
	jal	show
	la	$a0, boot
	jal	append
	SNAPSHOT disklog.snap
	la	$a0, after
	jal	append
	jal	show
	li	$v0, 10
	syscall

# disk_io($a0 command, $a1 sector, $a2 buffer): one sector, polled.
disk_io: sw	$a1, 0($s0)		# SECTOR
	li	$t0, 1
	sw	$t0, 4($s0)		# COUNT
	sw	$a2, 8($s0)		# ADDR
	sw	$a0, 12($s0)		# COMMAND: 1 read, 2 write, 3 flush
wait:	lw	$t0, 16($s0)		# STATUS
	andi	$t1, $t0, 0x100		# DONE (at once: a request runs in the store)
	beqz	$t1, wait
	sw	$t0, 16($s0)		# acknowledge
	andi	$v0, $t0, 0xff		# 0, or the error
	bnez	$v0, fail
	jr	$ra
fail:	move	$t0, $v0
	la	$a0, ioerr
	li	$v0, 4
	syscall
	move	$a0, $t0
	li	$v0, 1
	syscall
	li	$v0, 10
	syscall

# show: print the count, then each entry.
show:	addiu	$sp, $sp, -8
	sw	$ra, 0($sp)
	sw	$s1, 4($sp)
	li	$a0, 1
	li	$a1, 0
	la	$a2, head
	jal	disk_io
	la	$a0, has
	li	$v0, 4
	syscall
	lw	$a0, head
	li	$v0, 1
	syscall
	la	$a0, entries
	li	$v0, 4
	syscall
	li	$s1, 0
next:	lw	$t0, head
	bge	$s1, $t0, shown
	li	$a0, 1
	addiu	$a1, $s1, 1
	la	$a2, buf
	jal	disk_io
	la	$a0, indent
	li	$v0, 4
	syscall
	la	$a0, buf
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	addiu	$s1, $s1, 1
	b	next
shown:	lw	$ra, 0($sp)
	lw	$s1, 4($sp)
	addiu	$sp, $sp, 8
	jr	$ra

# append($a0 string): the entry after the last, the count, then a flush.
append:	addiu	$sp, $sp, -4
	sw	$ra, 0($sp)
	la	$t1, buf
copy:	lbu	$t0, 0($a0)
	sb	$t0, 0($t1)
	addiu	$a0, $a0, 1
	addiu	$t1, $t1, 1
	bnez	$t0, copy
	li	$a0, 1			# the count as the disk has it
	li	$a1, 0
	la	$a2, head
	jal	disk_io
	li	$a0, 2			# the entry
	lw	$a1, head
	addiu	$a1, $a1, 1
	la	$a2, buf
	jal	disk_io
	lw	$t0, head		# the count
	addiu	$t0, $t0, 1
	sw	$t0, head
	li	$a0, 2
	li	$a1, 0
	la	$a2, head
	jal	disk_io
	li	$a0, 3			# flush: on the host's disk before going on
	jal	disk_io
	lw	$ra, 0($sp)
	addiu	$sp, $sp, 4
	jr	$ra
