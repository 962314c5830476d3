// SPDX-License-Identifier: MIT
/*
 * test_type1.c - the DMA mappings of a native type1 container
 * (model/vfio/type1.c, Linux 7.3 drivers/vfio/vfio_iommu_type1.c
 * vfio_dma_do_map(), vfio_dma_do_unmap(), vfio_iommu_type1_get_info()),
 * and what iommufd's compat container answers instead
 * (drivers/iommu/iommufd/vfio_compat.c). Device c is alone in its AMD-Vi
 * group; the caller is root with a 4 MiB buffer at VA 0x10000000 whose
 * pages are contiguous from PA 0x100000000.
 */
#include "fx_vfio.h"

#define VA 0x10000000ull
#define PA 0x100000000ull
#define SZ_2M 0x200000ull

struct t1 {
	struct fx *f;
	struct vfio_file *g, *c;
};

/* the group node of c: /dev/vfio/<its iommu_group's id> */
static struct vfio_file *open_group_of_c(struct fx *f)
{
	g_autofree char *path =
		g_strdup_printf("/dev/vfio/%d", f->c->iommu_group->id);

	return fx_open(f, path);
}

static int t1_setup(void **state)
{
	struct t1 *t = calloc(1, sizeof(*t));
	unsigned long type1v2 = VFIO_TYPE1v2_IOMMU;
	int fd;

	t->f = fx_boot(NULL, false);
	vfio_set_type1_allow_unsafe_interrupts(t->f->m, true);
	assert_int_equal(
		0, process_mmap_contig(t->f->root, VA, 2 * SZ_2M, PA, true));
	assert_int_equal(0, fx_bind_vfio(t->f, t->f->c));
	t->g = open_group_of_c(t->f);
	t->c = fx_open(t->f, "/dev/vfio/vfio");
	fd = vfio_file_fd(t->c);
	assert_int_equal(0, fx_ioctl(t->f, t->g, VFIO_GROUP_SET_CONTAINER, &fd,
				     sizeof(fd)));
	assert_int_equal(0, fx_ioctl(t->f, t->c, VFIO_SET_IOMMU, &type1v2,
				     sizeof(type1v2)));
	*state = t;
	return 0;
}

static int t1_teardown(void **state)
{
	struct t1 *t = *state;
	struct fx *f = t->f;

	vfio_close(t->g);
	vfio_close(t->c);
	free(t);
	*state = f;
	return fx_free(state);
}

static int map(struct t1 *t, u32 flags, u64 vaddr, u64 iova, u64 size)
{
	struct vfio_iommu_type1_dma_map m = { sizeof(m), flags, vaddr, iova,
					      size };

	return fx_ioctl(t->f, t->c, VFIO_IOMMU_MAP_DMA, &m, sizeof(m));
}

#define RW (VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

static int unmap(struct t1 *t, u32 flags, u64 iova, u64 size, u64 *out)
{
	struct vfio_iommu_type1_dma_unmap u = { sizeof(u), flags, iova, size };
	int ret = fx_ioctl(t->f, t->c, VFIO_IOMMU_UNMAP_DMA, &u, sizeof(u));

	*out = u.size;
	return ret;
}

/* vfio_pin_pages_remote() + vfio_lock_acct(): mm->locked_vm in pages;
 * the device reaches the pages through its group's domain */
static void map_pins_charges_and_reaches_the_device(void **state)
{
	struct t1 *t = *state;
	u64 out = 0, fault = 0;
	char buf[16];

	assert_int_equal(0, map(t, RW, VA, 0x100000, SZ_2M));
	assert_int_equal(512, t->f->root->mm_locked_vm);
	assert_int_equal(0, iommu_dma(t->f->m, t->f->c, 0x100000, buf,
				      sizeof(buf), false, &fault));
	assert_int_equal(0, unmap(t, 0, 0x100000, SZ_2M, &out));
	assert_int_equal(SZ_2M, out);
	assert_int_equal(0, t->f->root->mm_locked_vm);
	assert_true(iommu_dma(t->f->m, t->f->c, 0x100000, buf, sizeof(buf),
			      false, &fault) != 0);
}

/* vfio_dma_do_map(): the refusals, none of which pins or maps */
static void refused_maps_leave_nothing_pinned(void **state)
{
	struct t1 *t = *state;

	assert_int_equal(0, map(t, RW, VA, 0x100000, 0x100000));
	assert_int_equal(-EEXIST, map(t, RW, VA, 0x180000, 0x100000));
	assert_int_equal(-EINVAL, map(t, RW, VA, 0x400800, 0x1000));
	assert_int_equal(-EINVAL, map(t, RW, VA, 0x400000, 0));
	assert_int_equal(-EINVAL, map(t, 0, VA, 0x400000, 0x1000));
	assert_int_equal(-EINVAL, map(t, 0x10, VA, 0x400000, 0x1000));
	/* the AMD MSI window is outside the IOVA list */
	assert_int_equal(-EINVAL, map(t, RW, VA, 0xfee00000, 0x1000));
	/* an unmapped VA (vaddr_get_pfns()) */
	assert_int_equal(-EFAULT, map(t, RW, 0x70000000, 0x400000, 0x1000));
	assert_int_equal(256, t->f->root->mm_locked_vm);
}

/* vaddr_get_pfns(): pin_user_pages_remote() fails on a VM_PFNMAP VMA
 * (a VFIO BAR's mmap), follow_fault_pfn() reads its pfns instead; they
 * have no struct page (is_invalid_reserved_pfn()), so
 * vfio_pin_pages_remote() charges nothing for them: not even
 * RLIMIT_MEMLOCK 0 without CAP_IPC_LOCK refuses the map */
static void pfnmap_vma_maps_without_a_locked_vm_charge(void **state)
{
	struct t1 *t = *state;
	u64 bar_va = 0x600000000000ull, bar_pa = 0xe0000000ull, out = 0;
	u64 fault = 0;
	char buf[16];

	assert_int_equal(0, process_mmap_contig(t->f->root, bar_va, SZ_2M,
						bar_pa, true));
	assert_int_equal(0, process_set_pfnmap(t->f->root, bar_va));
	t->f->root->caps &= ~CAP_BIT(CAP_IPC_LOCK);
	t->f->root->rlimit_memlock = 0;
	assert_int_equal(0, map(t, RW, bar_va, 0x100000, SZ_2M));
	assert_int_equal(0, t->f->root->mm_locked_vm);
	assert_int_equal(0, iommu_dma(t->f->m, t->f->c, 0x100000, buf,
				      sizeof(buf), false, &fault));
	/* ordinary pages are still charged, and over the limit */
	assert_int_equal(-ENOMEM, map(t, RW, VA, 0x400000, 0x1000));
	assert_int_equal(0, unmap(t, 0, 0x100000, SZ_2M, &out));
	assert_int_equal(SZ_2M, out);
	assert_int_equal(0, t->f->root->mm_locked_vm);
}

/* !dma->lock_cap && locked_vm + npage > RLIMIT_MEMLOCK -> -ENOMEM */
static void memlock_limit_without_ipc_lock_is_enomem(void **state)
{
	struct t1 *t = *state;

	t->f->root->caps &= ~CAP_BIT(CAP_IPC_LOCK);
	t->f->root->rlimit_memlock = 0x100000;
	assert_int_equal(-ENOMEM, map(t, RW, VA, 0x100000, SZ_2M));
	assert_int_equal(0, t->f->root->mm_locked_vm);
	assert_int_equal(0, map(t, RW, VA, 0x100000, 0x100000));
	t->f->root->caps |= CAP_BIT(CAP_IPC_LOCK);
	assert_int_equal(0, map(t, RW, VA + SZ_2M, 0x800000, SZ_2M));
	assert_int_equal(768, t->f->root->mm_locked_vm);
}

/* v2: no bisecting unmap; an empty range unmaps 0; ALL wants 0, 0 */
static void v2_unmap_refuses_bisecting_and_unmaps_all(void **state)
{
	struct t1 *t = *state;
	u64 out = 1;

	assert_int_equal(0, map(t, RW, VA, 0x100000, SZ_2M));
	assert_int_equal(0, map(t, RW, VA + SZ_2M, 0x800000, 0x1000));
	assert_int_equal(-EINVAL, unmap(t, 0, 0x101000, 0x1000, &out));
	assert_int_equal(-EINVAL, unmap(t, 0, 0x100000, 0x1000, &out));
	assert_int_equal(0, unmap(t, 0, 0x2000000, 0x1000, &out));
	assert_int_equal(0, out);
	assert_int_equal(-EINVAL,
			 unmap(t, VFIO_DMA_UNMAP_FLAG_ALL, 0x100000, 0, &out));
	assert_int_equal(0, unmap(t, VFIO_DMA_UNMAP_FLAG_ALL, 0, 0, &out));
	assert_int_equal(SZ_2M + 0x1000, out);
	assert_int_equal(0, t->f->root->mm_locked_vm);
}

/* vfio_iommu_type1_get_info(): PGSIZES|CAPS; a too small argsz grows to
 * 24 + migration 32 + dma_avail 16 + iova_range 16 + 3 * 16 (the
 * aperture without the MSI and HyperTransport windows) = 0x88; with room
 * the chain follows the struct, linked by offsets */
static void get_info_reports_the_capability_chain(void **state)
{
	struct t1 *t = *state;
	u64 buf[32] = { 0 };
	struct vfio_iommu_type1_info *info = (void *)buf;
	struct vfio_info_cap_header *h;
	struct vfio_iommu_type1_info_cap_iova_range *r;

	info->argsz = sizeof(*info);
	assert_int_equal(0, fx_ioctl(t->f, t->c, VFIO_IOMMU_GET_INFO, info,
				     sizeof(buf)));
	assert_int_equal(0x88, info->argsz);
	assert_int_equal(VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS,
			 info->flags);
	assert_int_equal(0, info->cap_offset);
	info->argsz = sizeof(buf);
	assert_int_equal(0, fx_ioctl(t->f, t->c, VFIO_IOMMU_GET_INFO, info,
				     sizeof(buf)));
	assert_int_equal(sizeof(*info), info->cap_offset);
	h = (void *)((char *)buf + info->cap_offset);
	assert_int_equal(VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, h->id);
	h = (void *)((char *)buf + h->next);
	assert_int_equal(VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, h->id);
	assert_int_equal(65535,
			 ((struct vfio_iommu_type1_info_dma_avail *)h)->avail);
	r = (void *)((char *)buf + h->next);
	assert_int_equal(VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, r->header.id);
	assert_int_equal(3, r->nr_iovas);
	assert_int_equal(0xfedfffff, r->iova_ranges[0].end);
	assert_int_equal(0xfef00000, r->iova_ranges[1].start);
}

/* vfio_iommu_type1_detach_group(): the last domain takes every mapping */
static void last_group_leaving_unpins_everything(void **state)
{
	struct t1 *t = *state;

	assert_int_equal(0, map(t, RW, VA, 0x100000, SZ_2M));
	assert_int_equal(
		0, fx_ioctl(t->f, t->g, VFIO_GROUP_UNSET_CONTAINER, NULL, 0));
	assert_int_equal(0, t->f->root->mm_locked_vm);
	/* the driver went with the last group: -EINVAL without one */
	assert_int_equal(-EINVAL, map(t, RW, VA, 0x100000, SZ_2M));
}

/* UNMAP VADDR invalidates the vaddr and keeps the pages pinned and
 * mapped; MAP VADDR gives exactly that mapping a new vaddr, once
 * (vfio_dma_do_unmap(), vfio_dma_do_map()) */
static void vaddr_invalidate_then_update_keeps_the_pages(void **state)
{
	struct t1 *t = *state;
	u64 out = 0, fault = 0;
	char buf[16];

	assert_int_equal(0, map(t, RW, VA, 0x100000, SZ_2M));
	assert_int_equal(-ENOENT,
			 map(t, VFIO_DMA_MAP_FLAG_VADDR, VA, 0x400000, SZ_2M));
	assert_int_equal(-EINVAL,
			 map(t, VFIO_DMA_MAP_FLAG_VADDR, VA, 0x100000, SZ_2M));
	assert_int_equal(
		0, unmap(t, VFIO_DMA_UNMAP_FLAG_VADDR, 0x100000, SZ_2M, &out));
	assert_int_equal(SZ_2M, out);
	assert_int_equal(512, t->f->root->mm_locked_vm);
	assert_int_equal(0, iommu_dma(t->f->m, t->f->c, 0x100000, buf,
				      sizeof(buf), false, &fault));
	assert_int_equal(-EINVAL, unmap(t, VFIO_DMA_UNMAP_FLAG_VADDR, 0x100000,
					SZ_2M, &out));
	/* not copied back: the caller reads its own size */
	assert_int_equal(SZ_2M, out);
	assert_int_equal(-EINVAL,
			 map(t, VFIO_DMA_MAP_FLAG_VADDR, VA, 0x100000, 0x1000));
	assert_int_equal(0, map(t, VFIO_DMA_MAP_FLAG_VADDR, VA + SZ_2M,
				0x100000, SZ_2M));
	assert_int_equal(-EINVAL,
			 map(t, VFIO_DMA_MAP_FLAG_VADDR, VA, 0x100000, SZ_2M));
	assert_int_equal(0, unmap(t, 0, 0x100000, SZ_2M, &out));
	assert_int_equal(0, t->f->root->mm_locked_vm);
}

/* an already invalid vaddr in the range: the ones this call invalidated
 * are valid again, -EINVAL (the struct, size 0 by then, is not copied
 * back); unmapping an invalid one is fine */
static void vaddr_invalidate_over_an_invalid_one_rolls_back(void **state)
{
	struct t1 *t = *state;
	u64 out = 0;

	assert_int_equal(0, map(t, RW, VA, 0x100000, 0x1000));
	assert_int_equal(0, map(t, RW, VA + 0x1000, 0x101000, 0x1000));
	assert_int_equal(
		0, unmap(t, VFIO_DMA_UNMAP_FLAG_VADDR, 0x101000, 0x1000, &out));
	assert_int_equal(-EINVAL, unmap(t, VFIO_DMA_UNMAP_FLAG_VADDR, 0x100000,
					0x2000, &out));
	assert_int_equal(0x2000, out); /* the caller's: not copied back */
	assert_int_equal(-EINVAL,
			 map(t, VFIO_DMA_MAP_FLAG_VADDR, VA, 0x100000, 0x1000));
	assert_int_equal(0, unmap(t, 0, 0x100000, 0x2000, &out));
	assert_int_equal(0x2000, out);
	assert_int_equal(0, t->f->root->mm_locked_vm);
}

static int dirty(struct t1 *t, u32 flags, u32 argsz)
{
	struct vfio_iommu_type1_dirty_bitmap d = { argsz, flags };

	return fx_ioctl(t->f, t->c, VFIO_IOMMU_DIRTY_PAGES, &d, sizeof(d));
}

/* vfio_iommu_type1_dirty_pages(): one flag at a time; START and STOP
 * always succeed; GET_BITMAP needs its range struct behind */
static void dirty_pages_start_stop_and_short_get_bitmap(void **state)
{
	struct t1 *t = *state;
	const u32 start = VFIO_IOMMU_DIRTY_PAGES_FLAG_START;
	const u32 stop = VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP;

	assert_int_equal(0, dirty(t, start, 8));
	assert_int_equal(0, dirty(t, start, 8));
	assert_int_equal(-EINVAL, dirty(t, start | stop, 8));
	assert_int_equal(-EINVAL, dirty(t, 8, 8));
	assert_int_equal(-EINVAL, dirty(t, start, 4));
	assert_int_equal(-EINVAL,
			 dirty(t, VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP, 8));
	assert_int_equal(0, dirty(t, stop, 8));
	assert_int_equal(0, dirty(t, stop, 8));
}

/* VFIO_IOMMU_DIRTY_PAGES GET_BITMAP of [iova, iova + size) into @bitmap
 * (@words u64s) */
static int get_bitmap(struct t1 *t, u64 iova, u64 size, u64 *bitmap, u64 words)
{
	struct {
		struct vfio_iommu_type1_dirty_bitmap d;
		struct vfio_iommu_type1_dirty_bitmap_get r;
	} a = { { sizeof(a), VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP },
		{ iova, size, { 0x1000, words * 8, (uintptr_t)bitmap } } };

	return fx_ioctl(t->f, t->c, VFIO_IOMMU_DIRTY_PAGES, &a, sizeof(a));
}

/* update_user_bitmap(): no group pins pages, so every page of every
 * mapping in the range reads dirty, at its bit from the range's start;
 * vfio_iommu_type1_dirty_pages(): -EINVAL before START and after STOP */
static void dirty_bitmap_reports_every_mapped_page(void **state)
{
	struct t1 *t = *state;
	u64 bm[4] = { 0 };

	assert_int_equal(0, map(t, RW, VA, 0x100000, 0x10000));
	assert_int_equal(0, map(t, RW, VA + SZ_2M, 0x1a0000, 0x4000));
	assert_int_equal(-EINVAL, get_bitmap(t, 0x100000, 0x100000, bm, 4));
	assert_int_equal(0, dirty(t, VFIO_IOMMU_DIRTY_PAGES_FLAG_START, 8));
	assert_int_equal(0, get_bitmap(t, 0x100000, 0x100000, bm, 4));
	assert_int_equal(0xffff, bm[0]);
	assert_int_equal(0, bm[1]);
	assert_int_equal(0xf00000000ull, bm[2]);
	/* a range bisecting a mapping; a bitmap too small for the range */
	assert_int_equal(-EINVAL, get_bitmap(t, 0x104000, 0x100000, bm, 4));
	assert_int_equal(-EINVAL, get_bitmap(t, 0x100000, 0x100000, bm, 3));
	assert_int_equal(0, dirty(t, VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP, 8));
	assert_int_equal(-EINVAL, get_bitmap(t, 0x100000, 0x100000, bm, 4));
}

/* update_user_bitmap(): the shift of a mapping off a 64-page boundary
 * is not masked and vfio_iova_dirty_bitmap() clears only its first
 * size >> pgshift bits after the read: each read reports 8 more pages
 * past its end, until the word is full */
static void unaligned_mapping_reads_further_past_its_end_each_time(void **state)
{
	struct t1 *t = *state;
	const u64 want[] = { 0xffffffffff00ull, 0xffffffffffff00ull,
			     0xffffffffffffff00ull, 0xffffffffffffff00ull };

	assert_int_equal(0, map(t, RW, VA, 0x108000, 40 * 0x1000));
	assert_int_equal(0, dirty(t, VFIO_IOMMU_DIRTY_PAGES_FLAG_START, 8));
	for (int i = 0; i < 4; i++) {
		u64 bm = 0;

		assert_int_equal(0, get_bitmap(t, 0x100000, 0x40000, &bm, 1));
		assert_int_equal(want[i], bm);
	}
}

/* vfio_dma_do_unmap() with GET_DIRTY_BITMAP: each mapping's pages are
 * copied out, at its bit from the unmap's iova, before it goes */
static void unmap_copies_the_dirty_bitmap_out_first(void **state)
{
	struct t1 *t = *state;
	u64 bm = ~0ull;
	struct {
		struct vfio_iommu_type1_dma_unmap u;
		struct vfio_bitmap b;
	} a = { { sizeof(a), VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, 0x100000,
		  0x10000 },
		{ 0x1000, 8, (uintptr_t)&bm } };

	assert_int_equal(0, map(t, RW, VA, 0x100000, 0x4000));
	assert_int_equal(0, map(t, RW, VA + 0x8000, 0x108000, 0x4000));
	assert_int_equal(-EINVAL, fx_ioctl(t->f, t->c, VFIO_IOMMU_UNMAP_DMA, &a,
					   sizeof(a)));
	assert_int_equal(0, dirty(t, VFIO_IOMMU_DIRTY_PAGES_FLAG_START, 8));
	a.b.pgsize = 0x2000;
	assert_int_equal(-EINVAL, fx_ioctl(t->f, t->c, VFIO_IOMMU_UNMAP_DMA, &a,
					   sizeof(a)));
	a.b.pgsize = 0x1000;
	assert_int_equal(
		0, fx_ioctl(t->f, t->c, VFIO_IOMMU_UNMAP_DMA, &a, sizeof(a)));
	assert_int_equal(0x8000, a.u.size);
	assert_int_equal(0xf0f, bm);
	assert_int_equal(0, t->f->root->mm_locked_vm);
}

/* vfio_change_dma_owner(): MAP VADDR from another process moves the
 * locked_vm charge to it; once that owner is gone the unmap gives the
 * pages back to no one (vfio_lock_acct(): mmget_not_zero() fails) */
static void vaddr_update_from_another_process_moves_the_charge(void **state)
{
	struct t1 *t = *state;
	struct process *p2 = process_new();
	struct vfio_iommu_type1_dma_map m = { sizeof(m),
					      VFIO_DMA_MAP_FLAG_VADDR, VA,
					      0x100000, SZ_2M };
	u64 out = 0;

	assert_int_equal(0, process_mmap_contig(p2, VA, SZ_2M, PA, true));
	assert_int_equal(0, map(t, RW, VA, 0x100000, SZ_2M));
	assert_int_equal(
		0, unmap(t, VFIO_DMA_UNMAP_FLAG_VADDR, 0x100000, SZ_2M, &out));
	p2->caps &= ~CAP_BIT(CAP_IPC_LOCK);
	p2->rlimit_memlock = 0x100000;
	assert_int_equal(-ENOMEM, vfio_ioctl(t->c, p2, VFIO_IOMMU_MAP_DMA, &m,
					     sizeof(m), NULL));
	assert_int_equal(512, t->f->root->mm_locked_vm);
	p2->rlimit_memlock = 4 * SZ_2M;
	assert_int_equal(0, vfio_ioctl(t->c, p2, VFIO_IOMMU_MAP_DMA, &m,
				       sizeof(m), NULL));
	assert_int_equal(0, t->f->root->mm_locked_vm);
	assert_int_equal(512, p2->mm_locked_vm);
	process_free(p2); /* exit: its mm is gone */
	assert_int_equal(0, unmap(t, 0, 0x100000, SZ_2M, &out));
	assert_int_equal(SZ_2M, out);
	assert_int_equal(0, t->f->root->mm_locked_vm);
}

/* vfio_domains_have_enforce_cache_coherency(): AMD-Vi's domains do
 * (amd_iommu_enforce_cache_coherency(): IOMMU_PTE_FC) */
static void dma_cc_iommu_follows_the_domains(void **state)
{
	struct t1 *t = *state;
	unsigned long cc = VFIO_DMA_CC_IOMMU;

	assert_int_equal(
		1, fx_ioctl(t->f, t->c, VFIO_CHECK_EXTENSION, &cc, sizeof(cc)));
}

/* vfio_iommu_type1_attach_group(): a second group on the same IOMMU
 * joins the first group's domain (same ops, same coherency) and the new
 * domain is freed; the domain stays until its last group leaves, the
 * mappings until the last domain goes; while a vaddr is invalid no
 * group can join (-EBUSY) */
static void second_group_joins_the_existing_domain(void **state)
{
	struct t1 *t = *state;
	struct fx *f = t->f;
	g_autofree char *path = NULL;
	struct vfio_file *g2;
	int fd = vfio_file_fd(t->c);
	u64 out = 0, fault = 0;
	char buf[16];

	assert_int_equal(0, device_driver_detach(f->m, f->b));
	assert_int_equal(0, fx_bind_vfio(f, f->a));
	assert_int_equal(0, fx_bind_vfio(f, f->b));
	path = g_strdup_printf("/dev/vfio/%d", f->a->iommu_group->id);
	g2 = fx_open(f, path);
	assert_int_equal(0, map(t, RW, VA, 0x100000, SZ_2M));
	assert_int_equal(
		0, unmap(t, VFIO_DMA_UNMAP_FLAG_VADDR, 0x100000, SZ_2M, &out));
	assert_int_equal(-EBUSY, fx_ioctl(f, g2, VFIO_GROUP_SET_CONTAINER, &fd,
					  sizeof(fd)));
	assert_int_equal(0,
			 map(t, VFIO_DMA_MAP_FLAG_VADDR, VA, 0x100000, SZ_2M));
	assert_int_equal(
		0, fx_ioctl(f, g2, VFIO_GROUP_SET_CONTAINER, &fd, sizeof(fd)));
	assert_ptr_equal(f->c->iommu_group->domain, f->a->iommu_group->domain);
	assert_int_equal(
		0, fx_ioctl(f, t->g, VFIO_GROUP_UNSET_CONTAINER, NULL, 0));
	assert_int_equal(512, f->root->mm_locked_vm);
	assert_int_equal(0, iommu_dma(f->m, f->a, 0x100000, buf, sizeof(buf),
				      false, &fault));
	assert_int_equal(0,
			 fx_ioctl(f, g2, VFIO_GROUP_UNSET_CONTAINER, NULL, 0));
	assert_int_equal(0, f->root->mm_locked_vm);
	vfio_close(g2);
}

/* iommufd_vfio_iommu_get_info(): no migration cap, argsz always the
 * chain's size (24 + dma_avail 16 + iova_range 16 + 16 per hole) */
static void compat_get_info_has_no_migration_cap(void **state)
{
	struct fx *f = fx_boot(NULL, false);
	struct vfio_file *ifile = fx_iommufd(f), *g;
	struct vfio_iommu_type1_info info = { .argsz = 0x100 };
	int fd = vfio_file_fd(ifile);
	unsigned long type1v2 = VFIO_TYPE1v2_IOMMU;
	char big[0x100];

	(void)state;
	assert_int_equal(-ENODEV, iommufd_ioctl(ifile->ictx, f->root,
						VFIO_IOMMU_GET_INFO, &info,
						sizeof(info)));
	assert_int_equal(0, fx_bind_vfio(f, f->c));
	g = open_group_of_c(f);
	assert_int_equal(
		0, fx_ioctl(f, g, VFIO_GROUP_SET_CONTAINER, &fd, sizeof(fd)));
	assert_int_equal(0, iommufd_ioctl(ifile->ictx, f->root, VFIO_SET_IOMMU,
					  &type1v2, sizeof(type1v2)));
	memcpy(big, &info, sizeof(info));
	assert_int_equal(0,
			 iommufd_ioctl(ifile->ictx, f->root,
				       VFIO_IOMMU_GET_INFO, big, sizeof(big)));
	memcpy(&info, big, sizeof(info));
	assert_int_equal(24 + 16 + 16 + 16, info.argsz);
	assert_int_equal(24, info.cap_offset);
	vfio_close(g);
	fx_close_iommufd(ifile);
	fx_free((void **)&f);
}

/* A failed unmap: type1 copies the struct back only on success
 * (vfio_iommu_type1_unmap_dma(): return ret before copy_to_user()), the
 * compat container after a failure too (iommufd_vfio_unmap_dma():
 * unmap.size = unmapped; copy_to_user(); return rc) with what it did
 * unmap before the area it could not */
static void failed_unmap_copies_back_only_on_the_compat_container(void **state)
{
	struct t1 *t = *state;
	struct fx *f = t->f;
	struct vfio_iommu_type1_dma_unmap u = { sizeof(u), 0, 0x100000,
						3 * SZ_2M / 2 };
	struct vfio_file *ifile = fx_iommufd(f), *g2;
	unsigned long type1v2 = VFIO_TYPE1v2_IOMMU;
	int fd = vfio_file_fd(ifile);
	size_t copied = 1;

	assert_int_equal(0, map(t, RW, VA, 0x100000, SZ_2M));
	assert_int_equal(0, map(t, RW, VA + SZ_2M, 0x300000, SZ_2M));
	assert_int_equal(-EINVAL,
			 vfio_ioctl_copied(t->c, f->root, VFIO_IOMMU_UNMAP_DMA,
					   &u, sizeof(u), NULL, &copied));
	assert_int_equal(0, copied);
	/* the compat container on the same device, once type1 let go */
	vfio_close(t->g);
	vfio_close(t->c);
	t->g = g2 = open_group_of_c(f);
	t->c = fx_open(f, "/dev/vfio/vfio");
	assert_int_equal(
		0, fx_ioctl(f, g2, VFIO_GROUP_SET_CONTAINER, &fd, sizeof(fd)));
	assert_int_equal(0, iommufd_ioctl(ifile->ictx, f->root, VFIO_SET_IOMMU,
					  &type1v2, sizeof(type1v2)));
	for (int i = 0; i < 2; i++) {
		struct vfio_iommu_type1_dma_map m = { sizeof(m), RW,
						      VA + i * SZ_2M,
						      0x100000 + i * SZ_2M,
						      SZ_2M };

		assert_int_equal(0, iommufd_ioctl(ifile->ictx, f->root,
						  VFIO_IOMMU_MAP_DMA, &m,
						  sizeof(m)));
	}
	u.size = 3 * SZ_2M / 2;
	assert_int_equal(-ENOENT, iommufd_ioctl_copied(ifile->ictx, f->root,
						       VFIO_IOMMU_UNMAP_DMA, &u,
						       sizeof(u), &copied));
	assert_int_equal(sizeof(u), copied);
	assert_int_equal(SZ_2M, u.size);
	vfio_close(g2);
	t->g = open_group_of_c(f);
	fx_close_iommufd(ifile);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			map_pins_charges_and_reaches_the_device, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			refused_maps_leave_nothing_pinned, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			memlock_limit_without_ipc_lock_is_enomem, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			pfnmap_vma_maps_without_a_locked_vm_charge, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			v2_unmap_refuses_bisecting_and_unmaps_all, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			get_info_reports_the_capability_chain, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			last_group_leaving_unpins_everything, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			vaddr_invalidate_then_update_keeps_the_pages, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			vaddr_invalidate_over_an_invalid_one_rolls_back,
			t1_setup, t1_teardown),
		cmocka_unit_test_setup_teardown(
			dirty_pages_start_stop_and_short_get_bitmap, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			dirty_bitmap_reports_every_mapped_page, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			unaligned_mapping_reads_further_past_its_end_each_time,
			t1_setup, t1_teardown),
		cmocka_unit_test_setup_teardown(
			unmap_copies_the_dirty_bitmap_out_first, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			vaddr_update_from_another_process_moves_the_charge,
			t1_setup, t1_teardown),
		cmocka_unit_test_setup_teardown(
			dma_cc_iommu_follows_the_domains, t1_setup,
			t1_teardown),
		cmocka_unit_test_setup_teardown(
			second_group_joins_the_existing_domain, t1_setup,
			t1_teardown),
		cmocka_unit_test(compat_get_info_has_no_migration_cap),
		cmocka_unit_test_setup_teardown(
			failed_unmap_copies_back_only_on_the_compat_container,
			t1_setup, t1_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
