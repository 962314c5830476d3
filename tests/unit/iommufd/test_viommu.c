// SPDX-License-Identifier: MIT
/*
 * test_viommu.c - IOMMU_HW_QUEUE_ALLOC (model/iommufd/viommu.c: the
 * internal access pinning the queue, iommufd_hw_queue_destroy()) on the
 * selftest mock's vIOMMU (selftest_viommu.c mock_hw_queue_init_phys()),
 * and the mock's user data with its mmap region (driver.c
 * _iommufd_alloc_mmap(), main.c iommufd_fops_mmap()), after Linux 7.3's
 * drivers/iommu/iommufd/viommu.c, driver.c, main.c and selftest.c.
 */
#include "ifd_fixture.h"
#include "copy.h"
#include "memory.h"

/* a mock device on an IOAS, a NEST_PARENT HWPT there and a vIOMMU */
struct vio {
	u32 ioas, idev, parent, viommu;
};

static int viommu_alloc_data(struct ifd *f, struct vio *v,
			     struct iommu_viommu_selftest *data)
{
	struct iommu_viommu_alloc cmd = {
		.size = sizeof(cmd),
		.type = IOMMU_VIOMMU_TYPE_SELFTEST,
		.dev_id = v->idev,
		.hwpt_id = v->parent,
		.data_len = data ? sizeof(*data) : 0,
		.data_uptr = (uintptr_t)data,
	};
	int rc = ifd_ioctl(f, IOMMU_VIOMMU_ALLOC, &cmd);

	v->viommu = cmd.out_viommu_id;
	return rc;
}

static void vio_setup(struct ifd *f, struct vio *v)
{
	struct iommu_test_cmd md = { .op = IOMMU_TEST_OP_MOCK_DOMAIN };
	struct iommu_hwpt_alloc hw = { .size = sizeof(hw),
				       .flags = IOMMU_HWPT_ALLOC_NEST_PARENT };

	v->ioas = f->ioas_id = ioas_alloc(f);
	md.id = v->ioas;
	assert_int_equal(0, test_cmd(f, &md));
	v->idev = md.mock_domain.out_idev_id;
	hw.dev_id = v->idev;
	hw.pt_id = v->ioas;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_HWPT_ALLOC, &hw));
	v->parent = hw.out_hwpt_id;
	assert_int_equal(0, viommu_alloc_data(f, v, NULL));
}

static int hw_queue_alloc(struct ifd *f, u32 viommu, u32 index, u64 iova,
			  u64 length, u32 *out)
{
	struct iommu_hw_queue_alloc cmd = {
		.size = sizeof(cmd),
		.viommu_id = viommu,
		.type = IOMMU_HW_QUEUE_TYPE_SELFTEST,
		.index = index,
		.nesting_parent_iova = iova,
		.length = length,
	};
	int rc = ifd_ioctl(f, IOMMU_HW_QUEUE_ALLOC, &cmd);

	*out = cmd.out_hw_queue_id;
	return rc;
}

static int destroy(struct ifd *f, u32 id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	return ifd_ioctl(f, IOMMU_DESTROY, &d);
}

static struct obj_header *obj(struct ifd *f, u32 id)
{
	return obj_peek(&f->ictx->objects, id);
}

/* the area at @iova of the fixture's IOAS: its internal locks */
static unsigned int locks_at(struct ifd *f, u64 iova)
{
	struct iopt_area *area =
		iopt_area_find(&ioas_of(f, f->ioas_id)->iopt, iova);

	assert_non_null(area);
	assert_int_equal(area->num_locks, area->num_accesses);
	return area->num_locks;
}

/* iommufd_hw_queue_alloc_phys(): the internal access's pins lock the
 * area (num_locks), so iopt_unmap_iova_range() is -EBUSY for it and
 * leaves it mapped; another area unmaps; the destroy unlocks it */
static void hw_queue_pins_its_area_against_unmap(void **state)
{
	struct ifd *f = *state;
	struct vio v;
	u32 q;

	vio_setup(f, &v);
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, 16 * MIB));
	assert_int_equal(0, map_fixed(f, BUFFER_VA + PAGE_SIZE, PAGE_SIZE,
				      16 * MIB + PAGE_SIZE));
	assert_int_equal(
		0, hw_queue_alloc(f, v.viommu, 0, 16 * MIB, PAGE_SIZE, &q));
	assert_int_equal(IOMMUFD_OBJ_HW_QUEUE, obj(f, q)->type);
	assert_int_equal(-EBUSY, unmap_raw(f, 16 * MIB, PAGE_SIZE, NULL));
	assert_int_equal(1, locks_at(f, 16 * MIB));
	assert_int_equal(0,
			 unmap_raw(f, 16 * MIB + PAGE_SIZE, PAGE_SIZE, NULL));
	assert_int_equal(-EBUSY, destroy(f, v.viommu));
	assert_int_equal(0, destroy(f, q));
	assert_int_equal(0, locks_at(f, 16 * MIB));
	assert_int_equal(0, unmap_raw(f, 16 * MIB, PAGE_SIZE, NULL));
	assert_int_equal(0, destroy(f, v.viommu));
}

/* mock_hw_queue_init_phys(): index below IOMMU_TEST_HW_QUEUE_MAX
 * (-EINVAL), one queue per index (-EEXIST), index - 1 first (-EIO); a
 * queue that depends on another keeps it (its destroy -EBUSY) */
static void hw_queue_index_rules_and_dependency(void **state)
{
	struct ifd *f = *state;
	u32 live, q0, q1, x;
	struct vio v;

	vio_setup(f, &v);
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, 16 * MIB));
	live = f->ictx->objects.live;
	assert_int_equal(
		-EIO, hw_queue_alloc(f, v.viommu, 1, 16 * MIB, PAGE_SIZE, &x));
	assert_int_equal(-EINVAL, hw_queue_alloc(f, v.viommu, 2, 16 * MIB,
						 PAGE_SIZE, &x));
	assert_int_equal(live, f->ictx->objects.live);
	assert_int_equal(0, locks_at(f, 16 * MIB));
	assert_int_equal(
		0, hw_queue_alloc(f, v.viommu, 0, 16 * MIB, PAGE_SIZE, &q0));
	assert_int_equal(-EEXIST, hw_queue_alloc(f, v.viommu, 0, 16 * MIB,
						 PAGE_SIZE, &x));
	/* unaligned: the page around it is pinned once more, shared */
	assert_int_equal(0, hw_queue_alloc(f, v.viommu, 1,
					   16 * MIB + PAGE_SIZE / 2,
					   PAGE_SIZE / 2, &q1));
	assert_int_equal(2, locks_at(f, 16 * MIB));
	assert_int_equal(-EBUSY, destroy(f, q0));
	assert_int_equal(0, destroy(f, q1));
	assert_int_equal(0, destroy(f, q0));
	assert_int_equal(0, unmap_raw(f, 16 * MIB, PAGE_SIZE, NULL));
}

/*
 * 7.3's mock_hw_queue_destroy() clears hw_queue[mock_hw_queue->index],
 * which mock_hw_queue_init_phys() never sets: slot 0 whatever the queue.
 * Destroying queue 1 leaves slot 1 taken, so index 1 is -EEXIST after.
 */
static void hw_queue_destroy_clears_slot_0_as_7_3_does(void **state)
{
	struct ifd *f = *state;
	u32 q0, q1, x;
	struct vio v;

	vio_setup(f, &v);
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, 16 * MIB));
	assert_int_equal(
		0, hw_queue_alloc(f, v.viommu, 0, 16 * MIB, PAGE_SIZE, &q0));
	assert_int_equal(
		0, hw_queue_alloc(f, v.viommu, 1, 16 * MIB, PAGE_SIZE, &q1));
	assert_int_equal(0, destroy(f, q1));
	assert_int_equal(-EEXIST, hw_queue_alloc(f, v.viommu, 1, 16 * MIB,
						 PAGE_SIZE, &x));
	assert_int_equal(
		0, hw_queue_alloc(f, v.viommu, 0, 16 * MIB, PAGE_SIZE, &x));
	assert_int_equal(0, destroy(f, x));
	assert_int_equal(0, destroy(f, q0));
}

/* iommufd_hw_queue_alloc_phys(): pages that are not physically
 * contiguous are -EFAULT, their pins dropped; a hole is -ENOENT */
static void hw_queue_needs_contiguous_mapped_pages(void **state)
{
	struct ifd *f = *state;
	u32 live, x;
	struct vio v;

	vio_setup(f, &v);
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, 16 * MIB));
	assert_int_equal(-ENOENT, hw_queue_alloc(f, v.viommu, 0, 16 * MIB,
						 2 * PAGE_SIZE, &x));
	assert_int_equal(0, map_fixed(f, BUFFER_VA + 5 * PAGE_SIZE, PAGE_SIZE,
				      16 * MIB + PAGE_SIZE));
	live = f->ictx->objects.live;
	assert_int_equal(-EFAULT, hw_queue_alloc(f, v.viommu, 0, 16 * MIB,
						 2 * PAGE_SIZE, &x));
	assert_int_equal(live, f->ictx->objects.live);
	assert_int_equal(0, locks_at(f, 16 * MIB));
	assert_int_equal(0, locks_at(f, 16 * MIB + PAGE_SIZE));
	assert_int_equal(0, unmap_raw(f, 16 * MIB, 2 * PAGE_SIZE, NULL));
}

/* Each allocation of IOMMU_HW_QUEUE_ALLOC failing leaves no object, no
 * pin and no lock behind (the abort runs iommufd_hw_queue_destroy()) */
static void failed_hw_queue_alloc_leaves_nothing(void **state)
{
	static const char *const sites[] = { "_iommufd_object_alloc",
					     "iommufd_hw_queue_alloc_phys",
					     "iopt_add_access",
					     "iopt_area_add_access" };
	struct ifd *f = *state;
	struct vio v;
	u32 live, x;

	vio_setup(f, &v);
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, 16 * MIB));
	live = f->ictx->objects.live;
	for (unsigned int i = 0; i < G_N_ELEMENTS(sites); i++) {
		fault_arm_site(&f->m->fault, sites[i]);
		assert_int_equal(-ENOMEM,
				 hw_queue_alloc(f, v.viommu, 0, 16 * MIB,
						PAGE_SIZE, &x));
		fault_arm_site(&f->m->fault, NULL);
		assert_int_equal(live, f->ictx->objects.live);
		assert_int_equal(0, locks_at(f, 16 * MIB));
	}
	assert_int_equal(0, unmap_raw(f, 16 * MIB, PAGE_SIZE, NULL));
}

/* iommufd_fops_release() with two queues (one depending on the other),
 * their internal access and a vIOMMU region still there: everything
 * goes, leaves first, with no WARN and nothing pinned (the teardown) */
static void ctx_close_takes_live_hw_queues_and_their_pins(void **state)
{
	struct ifd *f = *state;
	struct iommu_viommu_selftest data = { .in_data = 1 };
	struct vio v;
	u32 q0, q1;

	vio_setup(f, &v);
	assert_int_equal(0, viommu_alloc_data(f, &v, &data));
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, 16 * MIB));
	assert_int_equal(
		0, hw_queue_alloc(f, v.viommu, 0, 16 * MIB, PAGE_SIZE, &q0));
	assert_int_equal(
		0, hw_queue_alloc(f, v.viommu, 1, 16 * MIB, PAGE_SIZE, &q1));
	assert_non_null(f->ictx->mt_mmap);
	iommufd_fops_close(f->ictx);
	f->ictx = NULL;
	assert_false(f->m->warned);
}

/* mock_viommu_init(): in_data comes back in out_data and on the first
 * word of a two-page region at the lowest free offset from PAGE_SIZE */
static void viommu_data_is_looped_back_with_an_mmap_region(void **state)
{
	struct ifd *f = *state;
	struct iommu_viommu_selftest data = { .in_data = 0xbeef };
	struct iommufd_mmap *immap;
	u32 *kaddr;
	struct vio v;

	vio_setup(f, &v);
	assert_int_equal(0, destroy(f, v.viommu));
	assert_int_equal(0, viommu_alloc_data(f, &v, &data));
	assert_int_equal(0xbeef, data.out_data);
	assert_int_equal(PAGE_SIZE, data.out_mmap_offset);
	assert_int_equal(2 * PAGE_SIZE, data.out_mmap_length);
	assert_int_equal(0, iommufd_fops_mmap(f->ictx, 1, 2 * PAGE_SIZE, true,
					      false, &immap, (void **)&kaddr));
	assert_int_equal(0xbeef, kaddr[0]);
	assert_int_equal(-EBUSY, destroy(f, v.viommu));
	iommufd_fops_vma_close(immap);
	assert_int_equal(0, destroy(f, v.viommu));
	assert_null(f->ictx->mt_mmap);
}

/* A copy of the machine (copy_viommu.c) has the vIOMMU's region at the
 * same offset and its page at the same PA with the same bytes (physmem's
 * kernel pages, copy on write): the original's mapping, written after
 * the copy, leaves the copy's page as it was. */
static void copy_has_the_region_and_its_page_at_the_same_pa(void **state)
{
	struct ifd *f = *state;
	struct iommu_viommu_selftest data = { .in_data = 0xbeef };
	struct iommufd_mmap *immap, *nmap;
	struct iommufd_ctx *ictx;
	struct iommu_copy *c;
	struct iommu_model *m;
	u32 *kaddr, word = 0;
	struct vio v;

	vio_setup(f, &v);
	assert_int_equal(0, destroy(f, v.viommu));
	assert_int_equal(0, viommu_alloc_data(f, &v, &data));
	c = iommu_copy_begin(f->m);
	ictx = iommu_copy_find(c, f->ictx);
	m = iommu_copy_end(c, NULL);
	assert_non_null(m);
	immap = f->ictx->mt_mmap->data;
	nmap = ictx->mt_mmap->data;
	assert_ptr_not_equal(immap, nmap);
	assert_int_equal(immap->vm_pgoff, nmap->vm_pgoff);
	assert_int_equal(immap->mmio_addr, nmap->mmio_addr);
	assert_int_equal(0, iommu_memory_read(m, nmap->mmio_addr, &word, 4));
	assert_int_equal(0xbeef, word);
	assert_int_equal(0, iommufd_fops_mmap(f->ictx, 1, 2 * PAGE_SIZE, true,
					      false, &immap, (void **)&kaddr));
	kaddr[0] = 0x1234; /* the original's user writes its page */
	assert_int_equal(0,
			 iommu_memory_read(f->m, immap->mmio_addr, &word, 4));
	assert_int_equal(0x1234, word);
	assert_int_equal(0, iommu_memory_read(m, nmap->mmio_addr, &word, 4));
	assert_int_equal(0xbeef, word);
	iommufd_fops_vma_close(immap);
	iommufd_fops_close(ictx);
	assert_false(m->warned);
	iommu_model_free(m);
}

/* iommufd_fops_mmap(): only the region itself, whole and shared */
static void mmap_of_anything_but_the_exact_region_is_refused(void **state)
{
	struct ifd *f = *state;
	struct iommu_viommu_selftest data = { .in_data = 1 };
	struct iommufd_mmap *immap;
	void *kaddr;
	struct vio v;
	u32 users;

	vio_setup(f, &v);
	assert_int_equal(0, viommu_alloc_data(f, &v, &data));
	users = obj(f, v.viommu)->users;
	assert_int_equal(-ENXIO,
			 iommufd_fops_mmap(f->ictx, 2, 2 * PAGE_SIZE, true,
					   false, &immap, &kaddr));
	assert_int_equal(-ENXIO,
			 iommufd_fops_mmap(f->ictx, 3, 2 * PAGE_SIZE, true,
					   false, &immap, &kaddr));
	assert_int_equal(-ENXIO, iommufd_fops_mmap(f->ictx, 1, PAGE_SIZE, true,
						   false, &immap, &kaddr));
	assert_int_equal(-ENXIO,
			 iommufd_fops_mmap(f->ictx, 1, 4 * PAGE_SIZE, true,
					   false, &immap, &kaddr));
	assert_int_equal(-EINVAL,
			 iommufd_fops_mmap(f->ictx, 1, 2 * PAGE_SIZE, false,
					   false, &immap, &kaddr));
	assert_int_equal(-EPERM, iommufd_fops_mmap(f->ictx, 1, 2 * PAGE_SIZE,
						   true, true, &immap, &kaddr));
	assert_int_equal(users, obj(f, v.viommu)->users);
}

/* mtree_alloc_range(): the lowest gap that fits, from PAGE_SIZE */
static void mmap_offsets_reuse_the_lowest_gap(void **state)
{
	struct ifd *f = *state;
	struct iommu_viommu_selftest d1 = { 0 }, d2 = { 0 }, d3 = { 0 };
	struct vio v, v2;

	vio_setup(f, &v);
	v2 = v;
	assert_int_equal(0, viommu_alloc_data(f, &v, &d1));
	assert_int_equal(0, viommu_alloc_data(f, &v2, &d2));
	assert_int_equal(PAGE_SIZE, d1.out_mmap_offset);
	assert_int_equal(3 * PAGE_SIZE, d2.out_mmap_offset);
	assert_int_equal(0, destroy(f, v.viommu));
	assert_int_equal(0, viommu_alloc_data(f, &v, &d3));
	assert_int_equal(PAGE_SIZE, d3.out_mmap_offset);
}

/* mock_viommu_init()'s failures undo the region and the pages */
static void failed_viommu_data_alloc_leaves_no_region(void **state)
{
	static const char *const sites[] = { "__get_free_pages",
					     "_iommufd_alloc_mmap",
					     "mtree_alloc_range" };
	struct ifd *f = *state;
	struct iommu_viommu_selftest data = { .in_data = 1 };
	struct vio v;
	u32 live;

	vio_setup(f, &v);
	live = f->ictx->objects.live;
	for (unsigned int i = 0; i < G_N_ELEMENTS(sites); i++) {
		fault_arm_site(&f->m->fault, sites[i]);
		assert_int_equal(-ENOMEM, viommu_alloc_data(f, &v, &data));
		fault_arm_site(&f->m->fault, NULL);
		assert_int_equal(live, f->ictx->objects.live);
		assert_null(f->ictx->mt_mmap);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ifd_setup, ifd_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(hw_queue_pins_its_area_against_unmap),
		T(hw_queue_index_rules_and_dependency),
		T(hw_queue_destroy_clears_slot_0_as_7_3_does),
		T(hw_queue_needs_contiguous_mapped_pages),
		T(failed_hw_queue_alloc_leaves_nothing),
		T(ctx_close_takes_live_hw_queues_and_their_pins),
		T(viommu_data_is_looped_back_with_an_mmap_region),
		T(copy_has_the_region_and_its_page_at_the_same_pa),
		T(mmap_of_anything_but_the_exact_region_is_refused),
		T(mmap_offsets_reuse_the_lowest_gap),
		T(failed_viommu_data_alloc_leaves_no_region),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
