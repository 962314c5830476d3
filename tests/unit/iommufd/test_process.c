// SPDX-License-Identifier: MIT
/*
 * test_process.c - the modelled caller (model/iommufd/process.c): VMAs
 * with a chosen physical layout, memfds in the file table, capabilities.
 */
#include "ifd_fixture.h"
#include "iommufd/eventfd.h"
#include "pt/physmem.h"

static void va_translates_through_the_chosen_layout(void **state)
{
	struct process *p = process_new();
	u64 pas[2] = { 0x9000, 0x3000 };
	bool w = true;

	assert_int_equal(0,
			 process_mmap(p, 0x10000, 2 * PAGE_SIZE, pas, false));
	assert_int_equal(0x9123, process_va_to_pa(p, 0x10123, &w));
	assert_false(w);
	assert_int_equal(0x3fff, process_va_to_pa(p, 0x11fff, NULL));
	assert_int_equal(0, process_va_to_pa(p, 0x12000, NULL));
	assert_int_equal(0, process_va_to_pa(p, 0xffff, NULL));
	process_free(p);
}

/* mmap refuses overlaps (-EEXIST) and unaligned or empty ranges */
static void mappings_never_overlap(void **state)
{
	struct process *p = process_new();

	assert_int_equal(0, process_mmap_contig(p, 0x10000, 0x4000, 0, true));
	assert_int_equal(-EEXIST,
			 process_mmap_contig(p, 0xf000, 0x2000, 0, true));
	assert_int_equal(-EEXIST,
			 process_mmap_contig(p, 0x13000, 0x1000, 0, true));
	assert_int_equal(0, process_mmap_contig(p, 0x14000, 0x1000, 0, true));
	assert_int_equal(-EINVAL,
			 process_mmap_contig(p, 0x20001, 0x1000, 0, true));
	assert_int_equal(-EINVAL, process_mmap_contig(p, 0x20000, 0, 0, true));
	assert_int_equal(-EINVAL, process_munmap(p, 0x11000));
	assert_int_equal(0, process_munmap(p, 0x10000));
	assert_int_equal(0, process_va_to_pa(p, 0x10000, NULL));
	process_free(p);
}

/* alloc_fd(): the lowest free fd above stdio; close of a closed fd is
 * -EBADF; a file outlives its fd while someone holds it */
static void memfds_take_the_lowest_free_fd(void **state)
{
	struct process *p = process_new();
	u64 pa = 0x5000;
	struct file *held;

	assert_int_equal(3, process_memfd_create(p, PAGE_SIZE, &pa));
	assert_int_equal(4, process_memfd_create(p, PAGE_SIZE, &pa));
	held = fget(p, 3);
	assert_int_equal(0, process_close_fd(p, 3));
	assert_int_equal(-EBADF, process_close_fd(p, 3));
	assert_null(fget(p, 3));
	assert_int_equal(0x5000, shmem_page_find(held, 0));
	fput(held);
	assert_int_equal(3, process_memfd_create(p, PAGE_SIZE, &pa));
	process_free(p);
}

/* One table for every kind of file (fs/file.c alloc_fd()): a memfd, an
 * eventfd and /dev/iommu's file number in one sequence, a closed number
 * goes to the next open whatever it opens, and fget()'s callers judge the
 * kind: eventfd_ctx_fdget() -EINVAL for another file
 * (eventfd_ctx_fileget()), -EBADF for none; iommufd_ctx_from_file() only
 * for /dev/iommu's */
static void every_kind_of_file_numbers_in_one_table(void **state)
{
	struct process *p = process_new();
	struct iommufd_ctx *ictx = (struct iommufd_ctx *)&p; /* not read */
	struct file *filp;
	u64 pa = 0x5000;
	int err;

	assert_int_equal(3, process_memfd_create(p, PAGE_SIZE, &pa));
	assert_int_equal(4, eventfd_create(p));
	assert_int_equal(5, iommufd_fd_install(p, ictx, &filp));
	assert_int_equal(0, process_close_fd(p, 4));
	assert_int_equal(4, iommufd_fd_install(p, ictx, &filp));
	assert_ptr_equal(ictx, iommufd_ctx_from_file(process_file_at(p, 4)));
	assert_null(iommufd_ctx_from_file(process_file_at(p, 3)));
	assert_null(eventfd_ctx_fdget(p, 4, &err));
	assert_int_equal(-EINVAL, err);
	assert_null(eventfd_ctx_fdget(p, 3, &err));
	assert_int_equal(-EINVAL, err);
	assert_null(eventfd_ctx_fdget(p, 6, &err));
	assert_int_equal(-EBADF, err);
	process_fd_remove(p, 4, filp);
	assert_null(process_file_at(p, 4));
	assert_int_equal(4, eventfd_create(p));
	process_free(p);
}

/* mmap(MAP_SHARED) of a memfd (shmem_mmap()): every mapping's pages are
 * the file's, whatever closes later; only the pages the file has map
 * (-EINVAL past them, so an eventfd's file maps none), no file -EBADF */
static void mmap_of_a_memfd_has_the_files_pages(void **state)
{
	struct process *p = process_new();
	u64 pas[2] = { 0x9000, 0x3000 };

	assert_int_equal(3, process_memfd_create(p, PAGE_SIZE + 1, pas));
	assert_int_equal(4, eventfd_create(p));
	assert_int_equal(0,
			 process_mmap_file(p, 0x10000, 2 * PAGE_SIZE, 3, true));
	assert_int_equal(0, process_mmap_file(p, 0x20000, PAGE_SIZE, 3, false));
	assert_int_equal(-EINVAL,
			 process_mmap_file(p, 0x30000, 3 * PAGE_SIZE, 3, true));
	assert_int_equal(-EINVAL,
			 process_mmap_file(p, 0x30000, PAGE_SIZE, 4, true));
	assert_int_equal(-EBADF,
			 process_mmap_file(p, 0x30000, PAGE_SIZE, 5, true));
	assert_int_equal(0, process_close_fd(p, 3));
	assert_int_equal(0x9123, process_va_to_pa(p, 0x10123, NULL));
	assert_int_equal(0x3fff, process_va_to_pa(p, 0x11fff, NULL));
	assert_int_equal(0x9000, process_va_to_pa(p, 0x20000, NULL));
	assert_int_equal(0, process_va_to_pa(p, 0x30000, NULL));
	process_free(p);
}

/* A new process is root: CAP_IPC_LOCK, CAP_SYS_RAWIO, CAP_SYS_RESOURCE,
 * and init's memlock limit, 8 MiB (INIT_RLIMITS; the guest's agent has
 * it) */
static void new_process_has_roots_capabilities(void **state)
{
	struct process *p = process_new();

	assert_true(capable(p, CAP_IPC_LOCK));
	assert_true(capable(p, CAP_SYS_RAWIO));
	assert_true(capable(p, CAP_SYS_RESOURCE));
	assert_true(p->rlimit_memlock == 8ull << 20);
	p->caps &= ~CAP_BIT(CAP_SYS_RAWIO);
	assert_false(capable(p, CAP_SYS_RAWIO));
	assert_false(capable(NULL, CAP_SYS_RAWIO));
	process_free(p);
}

/* do_prlimit(): a lower limit always, a higher one only with
 * CAP_SYS_RESOURCE, and the refused call changes nothing */
static void raising_memlock_needs_cap_sys_resource(void **state)
{
	struct process *p = process_new();

	p->caps &= ~CAP_BIT(CAP_SYS_RESOURCE);
	assert_int_equal(-EPERM, process_setrlimit_memlock(p, 16ull << 20));
	assert_true(p->rlimit_memlock == 8ull << 20);
	assert_int_equal(0, process_setrlimit_memlock(p, 2ull << 20));
	assert_int_equal(-EPERM, process_setrlimit_memlock(p, 4ull << 20));
	assert_true(p->rlimit_memlock == 2ull << 20);
	p->caps |= CAP_BIT(CAP_SYS_RESOURCE);
	assert_int_equal(0, process_setrlimit_memlock(p, RLIM_INFINITY));
	process_free(p);
}

/* munmap of a middle range splits the VMA (__split_vma()): the pages on
 * either side keep their PAs */
static void munmap_range_keeps_the_outside_parts(void **state)
{
	struct process *p = process_new();

	assert_int_equal(
		0, process_mmap_contig(p, 0x10000, 0x4000, 0x80000, true));
	assert_int_equal(0, process_munmap_range(p, 0x11000, 0x2000));
	assert_int_equal(0x80000, process_va_to_pa(p, 0x10000, NULL));
	assert_int_equal(0, process_va_to_pa(p, 0x11000, NULL));
	assert_int_equal(0, process_va_to_pa(p, 0x12fff, NULL));
	assert_int_equal(0x83000, process_va_to_pa(p, 0x13000, NULL));
	assert_int_equal(2, p->vmas->len);
	assert_int_equal(-EINVAL, process_munmap_range(p, 0x10001, 0x1000));
	process_free(p);
}

static int fault_calls;

/* a pager that maps the 4 KiB page at @va to PA 0x700000 + its offset */
static int test_pager(struct process *p, u64 va, void *data)
{
	fault_calls++;
	if (va >= 0x40000)
		return -EFAULT;
	return process_mmap_contig(p, va & ~0xfffull, PAGE_SIZE,
				   0x700000 + (va & ~0xfffull), false);
}

/* A VA no VMA covers asks the pager once; what it maps stays mapped */
static void unmapped_va_asks_the_pager_once(void **state)
{
	struct process *p = process_new();

	p->fault = test_pager;
	fault_calls = 0;
	assert_int_equal(0x720010, process_va_to_pa(p, 0x20010, NULL));
	assert_int_equal(0x720020, process_va_to_pa(p, 0x20020, NULL));
	assert_int_equal(1, fault_calls);
	assert_int_equal(0, process_va_to_pa(p, 0x50000, NULL));
	assert_int_equal(2, fault_calls);
	process_free(p);
}

static u64 copy_above(u64 pa, void *data)
{
	return pa + *(u64 *)data;
}

/* kernel/fork.c copy_process(): the child shares the user (copy_creds()),
 * copies capabilities and RLIMIT_MEMLOCK, gets the VMAs at the same VAs
 * on its own copies of the pages with its mm's counters at 0 (dup_mm(),
 * mm_init()), and every fd, each file one reference more (dup_fd()) */
static void fork_shares_the_user_and_copies_the_rest(void **state)
{
	struct process *p = process_new(), *c;
	u64 off = 0x100000000ull;
	struct file *f;
	int fd;

	p->caps &= ~CAP_BIT(CAP_IPC_LOCK);
	p->rlimit_memlock = 0x4000;
	p->pinned_vm = 3;
	p->mm_locked_vm = 2;
	p->user->locked_vm = 1;
	assert_int_equal(0, process_mmap_contig(p, 0x10000, 2 * PAGE_SIZE,
						0x9000, true));
	fd = process_memfd_create(p, PAGE_SIZE, (u64[]){ 0x5000 });
	c = process_fork(p, copy_above, &off);
	assert_ptr_equal(p->user, c->user);
	assert_int_equal(2, p->user->refs);
	assert_int_equal(p->caps, c->caps);
	assert_int_equal(0x4000, c->rlimit_memlock);
	assert_int_equal(0, c->pinned_vm);
	assert_int_equal(0, c->mm_locked_vm);
	assert_int_equal(0x10000a123ull, process_va_to_pa(c, 0x11123, NULL));
	assert_int_equal(0xa123, process_va_to_pa(p, 0x11123, NULL));
	f = fget(p, fd);
	assert_ptr_equal(f, c->files->pdata[fd]);
	assert_int_equal(3, f->refs); /* both tables and this lookup */
	fput(f);
	process_free(c);
	assert_int_equal(1, f->refs);
	assert_int_equal(1, p->user->refs);
	assert_int_equal(0xa123, process_va_to_pa(p, 0x11123, NULL));
	process_free(p);
}

/* exit: the process is marked exited (pages.c refuses to pin from it,
 * mmget_not_zero()) while something still holds it (an iopt_pages'
 * mmgrab()); where its pinned pages are stays readable */
static void exit_marks_a_held_process_exited(void **state)
{
	struct process *p = process_new();

	assert_int_equal(
		0, process_mmap_contig(p, 0x10000, PAGE_SIZE, 0x9000, true));
	process_get(p);
	process_free(p);
	assert_true(p->exited);
	assert_int_equal(0x9000, process_va_to_pa(p, 0x10000, NULL));
	process_put(p);
}

/* A scenario's process (its memory budget the physmem): a user pointer a
 * VMA holds is copied to and from its pages' PAs, across a page boundary
 * into scattered pages; a read-only VMA refuses copy_to_user() and a
 * range running past the VMAs faults (-EFAULT) */
static void copy_user_lands_in_a_vmas_pages(void **state)
{
	struct process *p = process_new();
	struct physmem *mem = physmem_new();
	u64 pas[2] = { 0x40003000, 0x40001000 }, ro = 0x40008000;
	const char src[8] = "abcdefg";
	char back[8] = { 0 }, byte;

	p->budget = mem;
	assert_int_equal(0, process_mmap(p, 0x10000, 2 * PAGE_SIZE, pas, true));
	assert_int_equal(0,
			 process_mmap_contig(p, 0x20000, PAGE_SIZE, ro, false));
	assert_int_equal(0, process_copy_to_user(p, 0x10ffc, src, 8));
	assert_int_equal(0, physmem_read(mem, 0x40003ffc, back, 4));
	assert_int_equal(0, physmem_read(mem, 0x40001000, back + 4, 4));
	assert_memory_equal(src, back, 8);
	memset(back, 0, sizeof(back));
	assert_int_equal(0, process_copy_from_user(p, back, 0x10ffc, 8));
	assert_memory_equal(src, back, 8);
	assert_int_equal(-EFAULT, process_copy_to_user(p, 0x20000, src, 1));
	assert_int_equal(0, process_copy_from_user(p, &byte, 0x20000, 1));
	assert_int_equal(-EFAULT, process_copy_from_user(p, back, 0x11ffc, 8));
	process_free(p);
	physmem_free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(va_translates_through_the_chosen_layout),
		cmocka_unit_test(mappings_never_overlap),
		cmocka_unit_test(munmap_range_keeps_the_outside_parts),
		cmocka_unit_test(unmapped_va_asks_the_pager_once),
		cmocka_unit_test(memfds_take_the_lowest_free_fd),
		cmocka_unit_test(every_kind_of_file_numbers_in_one_table),
		cmocka_unit_test(mmap_of_a_memfd_has_the_files_pages),
		cmocka_unit_test(new_process_has_roots_capabilities),
		cmocka_unit_test(raising_memlock_needs_cap_sys_resource),
		cmocka_unit_test(fork_shares_the_user_and_copies_the_rest),
		cmocka_unit_test(exit_marks_a_held_process_exited),
		cmocka_unit_test(copy_user_lands_in_a_vmas_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
