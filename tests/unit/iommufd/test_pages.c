// SPDX-License-Identifier: MIT
/*
 * test_pages.c - pinning and accounting (model/iommufd/pages.c) and what
 * IOMMU_IOAS_NOIOMMU_GET_PA reads back (io_pagetable.c iopt_get_phys()),
 * against Linux 7.3's pages.c (iopt_alloc_pages(), incr_user_locked_vm(),
 * iopt_pages_update_pinned()) and ioas.c iommufd_ioas_noiommu_get_pa().
 * A domain is added to the IOAS directly (iopt_table_add_domain()), as an
 * HWPT's attach does.
 */
#include "ifd_fixture.h"

static int pages_setup(void **state)
{
	struct ifd *f;

	ifd_setup(state);
	f = *state;
	f->ioas_id = ioas_alloc(f);
	f->task->caps &= ~CAP_BIT(CAP_IPC_LOCK);
	return 0;
}

static struct io_pagetable *iopt_of(struct ifd *f)
{
	return &ioas_of(f, f->ioas_id)->iopt;
}

static struct iommu_domain *attach(struct ifd *f, struct iommu_domain *d)
{
	assert_int_equal(0, iopt_table_add_domain(iopt_of(f), d));
	return d;
}

static void detach(struct ifd *f, struct iommu_domain *d)
{
	iopt_table_remove_domain(iopt_of(f), d);
	domain_free(f, d);
}

#define IOVA 0x100000ull

/* iopt_area_fill_domains(): with no domain nothing is pinned (a lazy
 * reference); the first domain pins and charges user->locked_vm and
 * mm->pinned_vm; removing it gives both back */
static void pages_are_pinned_while_a_domain_holds_them(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, 4 * PAGE_SIZE, IOVA));
	assert_int_equal(0, f->task->pinned_vm);
	d = attach(f, paging_domain(f));
	assert_int_equal(4, f->task->pinned_vm);
	assert_int_equal(4, f->task->user->locked_vm);
	assert_int_equal(BUFFER_PA + PAGE_SIZE,
			 iommu_iova_to_phys(f->m, d, IOVA + PAGE_SIZE));
	detach(f, d);
	assert_int_equal(0, f->task->pinned_vm);
	assert_int_equal(0, f->task->user->locked_vm);
}

/* iopt_alloc_pages(): CAP_IPC_LOCK at map time means no locked_vm
 * charge (IOPT_PAGES_ACCOUNT_NONE); pinned_vm still counts */
static void cap_ipc_lock_skips_the_locked_vm_charge(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d = attach(f, paging_domain(f));

	f->task->caps |= CAP_BIT(CAP_IPC_LOCK);
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 4 * PAGE_SIZE, IOVA));
	assert_int_equal(4, f->task->pinned_vm);
	assert_int_equal(0, f->task->user->locked_vm);
	assert_int_equal(0, unmap_raw(f, IOVA, 4 * PAGE_SIZE, NULL));
	detach(f, d);
}

/* incr_user_locked_vm(): over RLIMIT_MEMLOCK is -ENOMEM, and the map
 * leaves nothing behind: no area, no pin, no charge, no translation */
static void map_over_memlock_limit_is_enomem_and_changes_nothing(void **s)
{
	struct ifd *f = *s;
	struct iommu_domain *d = attach(f, paging_domain(f));

	f->task->rlimit_memlock = 3 * PAGE_SIZE;
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 2 * PAGE_SIZE, IOVA));
	assert_int_equal(-ENOMEM, map_fixed(f, BUFFER_VA + 2 * PAGE_SIZE,
					    2 * PAGE_SIZE, IOVA + MIB));
	assert_int_equal(1, iopt_of(f)->areas->len);
	assert_int_equal(2, f->task->pinned_vm);
	assert_int_equal(2, f->task->user->locked_vm);
	assert_int_equal(0, iommu_iova_to_phys(f->m, d, IOVA + MIB));
	assert_int_equal(0, map_fixed(f, BUFFER_VA + 2 * PAGE_SIZE, PAGE_SIZE,
				      IOVA + MIB));
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	detach(f, d);
}

/* A domain added over mappings past the limit: iopt_table_add_domain()
 * fails and leaves the table as it was */
static void add_domain_over_memlock_limit_is_enomem(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d = paging_domain(f);

	f->task->rlimit_memlock = 3 * PAGE_SIZE;
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 2 * PAGE_SIZE, IOVA));
	assert_int_equal(0, map_fixed(f, BUFFER_VA + 2 * PAGE_SIZE,
				      2 * PAGE_SIZE, IOVA + MIB));
	assert_int_equal(-ENOMEM, iopt_table_add_domain(iopt_of(f), d));
	assert_int_equal(0, iopt_of(f)->domains->len);
	assert_int_equal(0, iopt_of(f)->reserved->len);
	assert_int_equal(1, iopt_of(f)->iova_alignment);
	assert_int_equal(0, f->task->pinned_vm);
	assert_int_equal(0, iommu_iova_to_phys(f->m, d, IOVA));
	domain_free(f, d);
}

/* IOMMU_OPTION_RLIMIT_MODE 1: VFIO's mm->locked_vm accounting */
static void rlimit_mode_mm_charges_mm_locked_vm(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d;

	iommufd_fops_close(f->ictx);
	assert_int_equal(0, iommufd_fops_open(f->m, &f->ictx));
	assert_int_equal(0, option(f, RLIMIT, SET, 0, &(u64){ 1 }));
	f->ioas_id = ioas_alloc(f);
	d = attach(f, paging_domain(f));
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 4 * PAGE_SIZE, IOVA));
	assert_int_equal(4, f->task->mm_locked_vm);
	assert_int_equal(0, f->task->user->locked_vm);
	assert_int_equal(4, f->task->pinned_vm);
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	detach(f, d);
}

/* IOAS_COPY shares the iopt_pages: the pages are pinned and charged once
 * however many areas and domains map them */
static void copies_and_second_domains_do_not_pin_twice(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d1 = attach(f, paging_domain(f));
	struct iommu_domain *d2;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, 4 * PAGE_SIZE, IOVA));
	assert_int_equal(0, copy_fixed(f, IOVA, IOVA + MIB, 4 * PAGE_SIZE));
	d2 = attach(f, paging_domain(f));
	assert_int_equal(4, f->task->pinned_vm);
	assert_int_equal(BUFFER_PA, iommu_iova_to_phys(f->m, d2, IOVA + MIB));
	/* the storage domain goes: the other one keeps the pins */
	detach(f, d1);
	assert_int_equal(4, f->task->pinned_vm);
	assert_int_equal(0, unmap_raw(f, IOVA, 4 * PAGE_SIZE, NULL));
	assert_int_equal(4, f->task->pinned_vm);
	assert_int_equal(0, unmap_raw(f, IOVA + MIB, 4 * PAGE_SIZE, NULL));
	assert_int_equal(0, f->task->pinned_vm);
	detach(f, d2);
}

/* pfn_reader_user_pin(): a page that cannot be pinned (no VMA, or a
 * read-only VMA for a writeable map) is -EFAULT once a domain needs it */
static void unpinnable_user_memory_is_efault_with_a_domain(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d;
	u64 ro_va = 0x600000000000ull;
	u64 iova = IOVA;

	assert_int_equal(0, process_mmap_contig(f->task, ro_va, PAGE_SIZE,
						0x50000000, false));
	assert_int_equal(0, map_fixed(f, 0x500000000000ull, PAGE_SIZE, IOVA));
	assert_int_equal(-EFAULT, iopt_table_add_domain(iopt_of(f),
							d = paging_domain(f)));
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	attach(f, d);
	assert_int_equal(-EFAULT, map_fixed(f, ro_va, PAGE_SIZE, IOVA));
	assert_int_equal(0, ioas_map_raw(f, f->ioas_id, ro_va, PAGE_SIZE,
					 IOMMU_IOAS_MAP_READABLE |
						 IOMMU_IOAS_MAP_FIXED_IOVA,
					 &iova));
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	detach(f, d);
}

/* pfn_reader_user_pin() -> pin_user_pages_fast(): a VM_IO | VM_PFNMAP
 * VMA (a VFIO BAR's mmap, vfio_pci_core_mmap()) has no page to pin,
 * check_vma_flags() is -EFAULT, and the refused map leaves no pin, no
 * charge, no area */
static void pfnmap_vma_cannot_be_pinned_and_is_efault(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d = attach(f, paging_domain(f));
	u64 bar_va = 0x600000000000ull;

	assert_int_equal(0, process_mmap_contig(f->task, bar_va, 4 * PAGE_SIZE,
						0x50000000, true));
	assert_int_equal(0, process_set_pfnmap(f->task, bar_va));
	assert_int_equal(-EFAULT, map_fixed(f, bar_va, 4 * PAGE_SIZE, IOVA));
	assert_int_equal(0, f->task->pinned_vm);
	assert_int_equal(0, f->task->user->locked_vm);
	assert_int_equal(0, iommu_iova_to_phys(f->m, d, IOVA));
	/* the same pages through an ordinary VMA are pinned */
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 4 * PAGE_SIZE, IOVA));
	assert_int_equal(4, f->task->pinned_vm);
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	detach(f, d);
}

/* iopt_table_add_domain(): an area not PAGE_SIZE aligned cannot go into
 * a domain (iopt_check_iova_alignment() -EADDRINUSE) */
static void add_domain_over_sub_page_area_is_eaddrinuse(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d = paging_domain(f);

	assert_int_equal(0, map_fixed(f, BUFFER_VA + 16, PAGE_SIZE, IOVA));
	assert_int_equal(-EADDRINUSE, iopt_table_add_domain(iopt_of(f), d));
	assert_int_equal(0, iopt_of(f)->domains->len);
	domain_free(f, d);
}

static int get_pa(struct ifd *f, u64 iova, u64 *length, u64 *phys)
{
	struct iommu_ioas_noiommu_get_pa cmd = {
		.size = sizeof(cmd),
		.ioas_id = f->ioas_id,
		.iova = iova,
		.length = *length,
	};
	int rc = ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd);

	*length = cmd.length;
	*phys = cmd.out_phys;
	return rc;
}

/* A buffer whose pages 0-1 are contiguous and page 2 is elsewhere. */
static u64 scattered_buffer(struct ifd *f)
{
	const u64 va = 0x7e0000000000ull;
	u64 pas[3] = { 0x30000000, 0x30001000, 0x38000000 };

	assert_int_equal(0,
			 process_mmap(f->task, va, 3 * PAGE_SIZE, pas, true));
	return va;
}

/* iommufd_ioas_noiommu_get_pa() / iopt_get_phys() with a noiommu domain:
 * the PA keeps the sub-page offset, the length stops at the end of the
 * physically contiguous run, the mapping's end, or the caller's length */
static void get_pa_answers_the_contiguous_run(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d = attach(f, noiommu_domain(f));
	u64 len, pa;

	assert_int_equal(
		0, map_fixed(f, scattered_buffer(f), 3 * PAGE_SIZE, IOVA));
	len = 3 * PAGE_SIZE;
	assert_int_equal(0, get_pa(f, IOVA + 0x10, &len, &pa));
	assert_int_equal(0x30000010, pa);
	assert_int_equal(0x1ff0, len);
	len = 0x100;
	assert_int_equal(0, get_pa(f, IOVA + 0x10, &len, &pa));
	assert_int_equal(0x100, len);
	len = 16 * PAGE_SIZE;
	assert_int_equal(0, get_pa(f, IOVA + 2 * PAGE_SIZE + 8, &len, &pa));
	assert_int_equal(0x38000008, pa);
	assert_int_equal(PAGE_SIZE - 8, len);
	len = PAGE_SIZE;
	assert_int_equal(-ENOENT, get_pa(f, IOVA + 3 * PAGE_SIZE, &len, &pa));
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	detach(f, d);
}

/* iommufd_ioas_noiommu_get_pa(): CAP_SYS_RAWIO first, then flags and
 * reserved (EOPNOTSUPP), length 0 (EINVAL), ULONG_MAX (EOVERFLOW), the
 * IOAS (ENOENT), and no noiommu storage domain (EOPNOTSUPP) */
static void get_pa_refusals_come_in_the_kernels_order(void **state)
{
	struct ifd *f = *state;
	struct iommu_ioas_noiommu_get_pa cmd = {
		.size = sizeof(cmd),
		.flags = 1,
		.ioas_id = f->ioas_id,
		.iova = IOVA,
		.length = 0,
	};
	struct iommu_domain *d;

	f->task->caps &= ~CAP_BIT(CAP_SYS_RAWIO);
	assert_int_equal(-EPERM, ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	f->task->caps |= CAP_BIT(CAP_SYS_RAWIO);
	assert_int_equal(-EOPNOTSUPP,
			 ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	cmd.flags = 0;
	cmd.__reserved = 1;
	assert_int_equal(-EOPNOTSUPP,
			 ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	cmd.__reserved = 0;
	assert_int_equal(-EINVAL,
			 ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	cmd.length = PAGE_SIZE;
	cmd.iova = UINT64_MAX;
	assert_int_equal(-EOVERFLOW,
			 ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	cmd.iova = IOVA;
	cmd.ioas_id = 99;
	assert_int_equal(-ENOENT,
			 ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	cmd.ioas_id = f->ioas_id;
	assert_int_equal(-ENOENT,
			 ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, IOVA));
	assert_int_equal(-EOPNOTSUPP,
			 ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	d = attach(f, paging_domain(f));
	assert_int_equal(-EOPNOTSUPP,
			 ifd_ioctl(f, IOMMU_IOAS_NOIOMMU_GET_PA, &cmd));
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	detach(f, d);
}

/* iopt_get_phys() reads the area's storage domain: with a real IOMMU
 * domain attached first it is that one (EOPNOTSUPP); once it goes, the
 * noiommu domain becomes the storage domain and GET_PA answers */
static void get_pa_with_a_real_domain_too_reads_the_storage_domain(void **s)
{
	struct ifd *f = *s;
	struct iommu_domain *real = attach(f, paging_domain(f));
	struct iommu_domain *sw = attach(f, noiommu_domain(f));
	u64 len = PAGE_SIZE, pa;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, IOVA));
	assert_int_equal(-EOPNOTSUPP, get_pa(f, IOVA, &len, &pa));
	detach(f, real);
	assert_int_equal(0, get_pa(f, IOVA, &len, &pa));
	assert_int_equal(BUFFER_PA, pa);
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	detach(f, sw);
}

/* A 2 MiB-aligned contiguous buffer (a huge page) maps through as one
 * run; with IOMMU_OPTION_HUGE_PAGES 0 page by page: same translations */
static void huge_page_buffer_translates_with_or_without_large_pages(void **s)
{
	struct ifd *f = *s;
	const u64 va = 0x7d0000000000ull, pa = 0x80000000ull;
	struct iommu_domain *d;

	f->task->caps |= CAP_BIT(CAP_IPC_LOCK);
	assert_int_equal(0,
			 process_mmap_contig(f->task, va, 2 * MIB, pa, true));
	d = attach(f, paging_domain(f));
	assert_int_equal(0x200000, map_auto(f, va, 2 * MIB));
	assert_int_equal(pa + 0x1234,
			 iommu_iova_to_phys(f->m, d, 0x200000 + 0x1234));
	assert_int_equal(-EINVAL,
			 option(f, HUGE, SET, f->ioas_id, &(u64){ 0 }));
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	assert_int_equal(0, option(f, HUGE, SET, f->ioas_id, &(u64){ 0 }));
	assert_int_equal(0x200000, map_auto(f, va, 2 * MIB));
	assert_int_equal(pa + 0x1fffff,
			 iommu_iova_to_phys(f->m, d, 0x200000 + 0x1fffff));
	assert_int_equal(512, f->task->pinned_vm);
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	detach(f, d);
}

static int change_process(struct ifd *f, struct process *caller)
{
	struct iommu_ioas_change_process cmd = { .size = sizeof(cmd) };

	return iommufd_ioctl(f->ictx, caller, IOMMU_IOAS_CHANGE_PROCESS, &cmd,
			     sizeof(cmd));
}

/* selftest change_process.basic (account_user): ioas.c
 * iommufd_ioas_change_process(): user-VA mappings refuse it (EINVAL);
 * file mappings move their charge to the caller; a caller over its
 * RLIMIT_MEMLOCK is ENOMEM and nothing moves */
static void change_process_moves_the_charge_to_the_caller(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d = attach(f, paging_domain(f));
	u64 pas[1] = { 0x70000000 };
	struct iommu_ioas_map_file map = {
		.size = sizeof(map),
		.flags = RW,
		.ioas_id = f->ioas_id,
		.fd = process_memfd_create(f->task, PAGE_SIZE, pas),
		.length = PAGE_SIZE,
	};
	struct process *child = process_new(), *poor = process_new();

	child->caps = poor->caps = 0;
	poor->rlimit_memlock = 0;
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, IOVA));
	assert_int_equal(-EINVAL, change_process(f, f->task));
	assert_int_equal(0, unmap_raw(f, IOVA, PAGE_SIZE, NULL));
	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_MAP_FILE, &map));
	assert_int_equal(0, change_process(f, f->task));
	assert_int_equal(1, f->task->pinned_vm);
	assert_int_equal(0, change_process(f, child));
	assert_int_equal(0, f->task->pinned_vm);
	assert_int_equal(0, f->task->user->locked_vm);
	assert_int_equal(1, child->pinned_vm);
	assert_int_equal(1, child->user->locked_vm);
	assert_int_equal(-ENOMEM, change_process(f, poor));
	assert_int_equal(1, child->pinned_vm);
	assert_int_equal(0, poor->pinned_vm);
	process_free(child); /* the mapping keeps it */
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	process_free(poor);
	detach(f, d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, pages_setup, ifd_teardown)
		T(pages_are_pinned_while_a_domain_holds_them),
		T(cap_ipc_lock_skips_the_locked_vm_charge),
		T(map_over_memlock_limit_is_enomem_and_changes_nothing),
		T(add_domain_over_memlock_limit_is_enomem),
		T(rlimit_mode_mm_charges_mm_locked_vm),
		T(copies_and_second_domains_do_not_pin_twice),
		T(unpinnable_user_memory_is_efault_with_a_domain),
		T(pfnmap_vma_cannot_be_pinned_and_is_efault),
		T(add_domain_over_sub_page_area_is_eaddrinuse),
		T(get_pa_answers_the_contiguous_run),
		T(get_pa_refusals_come_in_the_kernels_order),
		T(get_pa_with_a_real_domain_too_reads_the_storage_domain),
		T(huge_page_buffer_translates_with_or_without_large_pages),
		T(change_process_moves_the_charge_to_the_caller),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
