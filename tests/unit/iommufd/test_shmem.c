// SPDX-License-Identifier: MIT
/*
 * test_shmem.c - read() and write() of a memfd (model/iommufd/shmem.c)
 * as Linux 7.3's mm/shmem.c shmem_file_read_iter() and
 * shmem_file_write_iter() (mm/filemap.c generic_perform_write()) do them:
 * at f_pos, which advances by what was copied; the bytes are physmem's at
 * the file's page PAs, where IOMMU_IOAS_MAP_FILE maps them.
 */
#include "ifd_fixture.h"
#include "pt/physmem.h"

/* A memfd of @size bytes with its pages at @pas, in a process whose
 * memory is the machine's physmem */
static struct file *memfd_at(struct ifd *f, u64 size, const u64 *pas, int *fd)
{
	process_charge_to(f->task, f->m);
	*fd = process_memfd_create(f->task, size, pas);
	assert_true(*fd >= 0);
	return process_file_at(f->task, *fd);
}

static ssize_t rd(struct ifd *f, int fd, void *buf, u64 count)
{
	return process_file_rw(f->task, fd, (uintptr_t)buf, count, false);
}

static ssize_t wr(struct ifd *f, int fd, const void *buf, u64 count)
{
	return process_file_rw(f->task, fd, (uintptr_t)buf, count, true);
}

/* shmem_file_read_iter(): a hole reads as zeros (ZERO_PAGE), up to
 * i_size (end_offset = min(i_size, ki_pos + count)); at i_size it breaks
 * out with nothing read, 0 */
static void reading_a_fresh_memfd_gives_zeros_then_eof(void **state)
{
	struct ifd *f = *state;
	u8 buf[128], zero[128] = { 0 };
	int fd;
	struct file *file = memfd_at(f, 100, (u64[]){ 0x200000000 }, &fd);

	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(40, rd(f, fd, buf, 40));
	assert_memory_equal(zero, buf, 40);
	assert_int_equal(40, file->pos);
	assert_int_equal(60, rd(f, fd, buf, 80));
	assert_int_equal(100, file->pos);
	assert_int_equal(0, rd(f, fd, buf, 80));
	assert_int_equal(100, file->pos);
}

/* The read copies each page from its own PA (copy_folio_to_iter() per
 * folio): bytes a DMA left at the pages' PAs, across a page boundary of a
 * scattered file */
static void a_read_returns_the_bytes_at_each_pages_pa(void **state)
{
	struct ifd *f = *state;
	u8 skip[4092], buf[8];
	int fd;

	memfd_at(f, 2 * PAGE_SIZE, (u64[]){ 0x9000, 0x3000 }, &fd);
	assert_int_equal(0, physmem_write(f->m->physmem, 0x9ffc, "abcd", 4));
	assert_int_equal(0, physmem_write(f->m->physmem, 0x3000, "efgh", 4));
	assert_int_equal(4092, rd(f, fd, skip, sizeof(skip)));
	assert_int_equal(8, rd(f, fd, buf, sizeof(buf)));
	assert_memory_equal("abcdefgh", buf, 8);
}

/* generic_perform_write(): the bytes land at the page's PA and ki_pos
 * moves past them; inside i_size the size stays */
static void a_write_lands_at_the_page_pa_and_advances_the_position(void **state)
{
	struct ifd *f = *state;
	u8 got[8];
	int fd;
	struct file *file = memfd_at(f, PAGE_SIZE, (u64[]){ 0x5000 }, &fd);

	assert_int_equal(8, wr(f, fd, "01234567", 8));
	assert_int_equal(4, wr(f, fd, "89ab", 4));
	assert_int_equal(12, file->pos);
	assert_int_equal(PAGE_SIZE, file->size);
	assert_int_equal(0, physmem_read(f->m->physmem, 0x5004, got, 8));
	assert_memory_equal("456789ab", got, 8);
}

/* shmem_write_end(): "if (pos + copied > inode->i_size)
 * i_size_write(inode, pos + copied)"; the page past the last one comes
 * from shmem_get_folio(SGP_WRITE), a fresh zeroed page */
static void a_write_at_i_size_extends_the_file_with_a_fresh_page(void **state)
{
	struct ifd *f = *state;
	u8 skip[PAGE_SIZE], got[4];
	int fd;
	struct file *file = memfd_at(f, PAGE_SIZE, (u64[]){ 0x5000 }, &fd);
	u64 charged = file->budget_bytes;

	assert_int_equal(PAGE_SIZE, rd(f, fd, skip, sizeof(skip)));
	assert_int_equal(6, wr(f, fd, "ZZabcd", 6));
	assert_int_equal(PAGE_SIZE + 6, file->size);
	assert_int_equal(PAGE_SIZE + 6, file->pos);
	assert_int_equal(PHYSMEM_DATA_PAGE_BASE, shmem_page_find(file, 1));
	assert_int_equal(charged + sizeof(u64), file->budget_bytes);
	assert_int_equal(0, physmem_read(f->m->physmem,
					 PHYSMEM_DATA_PAGE_BASE + 2, got, 4));
	assert_memory_equal("abcd", got, 4);
	/* at the new i_size, a read finds nothing */
	assert_int_equal(0, rd(f, fd, got, 4));
}

/* A write that copies nothing changes nothing: its user buffer faults
 * (generic_perform_write()'s -EFAULT), or the new page's record does
 * not fit the memory budget (shmem_get_folio()'s -ENOMEM) */
static void a_failed_write_changes_nothing(void **state)
{
	struct ifd *f = *state;
	u8 skip[PAGE_SIZE];
	int fd;
	struct file *file = memfd_at(f, PAGE_SIZE, (u64[]){ 0x5000 }, &fd);
	struct physmem_stats st;

	assert_int_equal(-EFAULT, process_file_rw(f->task, fd, 0, 8, true));
	assert_int_equal(0, file->pos);
	assert_int_equal(PAGE_SIZE, rd(f, fd, skip, sizeof(skip)));
	physmem_get_stats(f->m->physmem, &st);
	physmem_set_limit(f->m->physmem, st.used_bytes);
	assert_int_equal(-ENOMEM, wr(f, fd, "x", 1));
	assert_int_equal(PAGE_SIZE, file->size);
	assert_int_equal(PAGE_SIZE, file->pos);
	assert_int_equal(PHYSMEM_DATA_PAGE_BASE,
			 physmem_next_data_page(f->m->physmem));
	physmem_set_limit(f->m->physmem, 0);
}

/* A memfd the IOAS maps, the device attached: what write() put in the
 * file is what the device's DMA reads through the IOVA, and what the DMA
 * writes is what read() returns (memfd_pin_folios() pins the page
 * cache's own folios, the pages shmem reads and writes) */
static void a_mapped_memfd_and_the_device_see_the_same_bytes(void **state)
{
	struct ifd *f = *state;
	struct iommu_ioas_map_file map = { .size = sizeof(map) };
	struct iommufd_device *idev;
	u8 got[4];
	u32 id, pt;
	u64 fault_iova;
	int fd;

	memfd_at(f, 2 * PAGE_SIZE, (u64[]){ 0x8000, 0x3000 }, &fd);
	f->m->iommufd_allow_unsafe_interrupts = true;
	f->ioas_id = pt = ioas_alloc(f);
	assert_int_equal(0, iommufd_device_bind(f->ictx, f->dev, &id, &idev));
	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	map.flags = FIXED;
	map.ioas_id = f->ioas_id;
	map.fd = fd;
	map.length = 2 * PAGE_SIZE;
	map.iova = 0x100000;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_MAP_FILE, &map));
	assert_int_equal(4, wr(f, fd, "wxyz", 4));
	assert_int_equal(0, iommu_dma(f->m, f->dev, 0x100000, got, 4, false,
				      &fault_iova));
	assert_memory_equal("wxyz", got, 4);
	assert_int_equal(0, iommu_dma(f->m, f->dev, 0x101000, "dma!", 4, true,
				      &fault_iova));
	assert_int_equal(4092, rd(f, fd, (u8[4092]){ 0 }, 4092));
	assert_int_equal(4, rd(f, fd, got, 4));
	assert_memory_equal("dma!", got, 4);
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	iommufd_device_unbind(idev);
}

/* A pwrite() far past i_size (shmem_write_begin() -> shmem_get_folio()
 * for that index alone): one page is the file's, at the next data page,
 * one record charged; i_size covers it; the pages between stay holes
 * that read as zeros and take no record (7 TiB of them here: a record
 * per page would be 14 GiB) */
static void a_pwrite_far_past_i_size_leaves_holes_between(void **state)
{
	struct ifd *f = *state;
	const u64 far = 0x70000000004ull; /* VFIO's config region's offset 4 */
	u8 got[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	u8 zero[8] = { 0 };
	int fd;
	struct file *file = memfd_at(f, PAGE_SIZE, (u64[]){ 0x5000 }, &fd);
	u64 charged = file->budget_bytes;

	assert_int_equal(4, process_file_prw(f->task, fd, (uintptr_t) "abcd", 4,
					     far, true));
	assert_int_equal(far + 4, file->size);
	assert_int_equal(0, file->pos); /* pwrite() leaves f_pos */
	assert_int_equal(charged + sizeof(u64), file->budget_bytes);
	assert_int_equal(PHYSMEM_DATA_PAGE_BASE,
			 shmem_page_find(file, far / PAGE_SIZE));
	assert_int_equal(0, shmem_page_find(file, 1));
	assert_int_equal(far / PAGE_SIZE - 1,
			 shmem_holes(file, far / PAGE_SIZE + 1));
	assert_int_equal(8, process_file_prw(f->task, fd, (uintptr_t)got, 8,
					     far - 4, false));
	assert_memory_equal(zero, got, 4);
	assert_memory_equal("abcd", got + 4, 4);
	assert_int_equal(8, process_file_prw(f->task, fd, (uintptr_t)got, 8,
					     2 * PAGE_SIZE, false));
	assert_memory_equal(zero, got, 8);
}

/* mmap() of a memfd with a hole: the hole gets its page (the first
 * touch's shmem_fault()), charged with the mapping's records */
static void an_mmap_over_a_hole_fills_it(void **state)
{
	struct ifd *f = *state;
	int fd;
	struct file *file = memfd_at(f, PAGE_SIZE, (u64[]){ 0x5000 }, &fd);

	assert_int_equal(1, process_file_prw(f->task, fd, (uintptr_t) "z", 1,
					     2 * PAGE_SIZE, true));
	assert_int_equal(1, shmem_holes(file, 3));
	assert_int_equal(0, process_mmap_file(f->task, 0x10000000,
					      3 * PAGE_SIZE, fd, true));
	assert_int_equal(0, shmem_holes(file, 3));
	assert_int_equal(PHYSMEM_DATA_PAGE_BASE + PAGE_SIZE,
			 shmem_page_find(file, 1));
}

/* A unit test's process has no modelled memory: its memfds have no
 * contents, and read()/write() are refused as for a file without them */
static void a_memfd_without_modelled_memory_has_no_read(void **state)
{
	struct process *p = process_new();
	u8 buf[8];
	int fd = process_memfd_create(p, PAGE_SIZE, (u64[]){ 0x5000 });

	(void)state;
	assert_int_equal(-EINVAL,
			 process_file_rw(p, fd, (uintptr_t)buf, 8, false));
	process_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, ifd_setup, ifd_teardown)
		T(reading_a_fresh_memfd_gives_zeros_then_eof),
		T(a_read_returns_the_bytes_at_each_pages_pa),
		T(a_write_lands_at_the_page_pa_and_advances_the_position),
		T(a_write_at_i_size_extends_the_file_with_a_fresh_page),
		T(a_failed_write_changes_nothing),
		T(a_mapped_memfd_and_the_device_see_the_same_bytes),
		T(a_pwrite_far_past_i_size_leaves_holes_between),
		T(an_mmap_over_a_hole_fills_it),
		cmocka_unit_test(a_memfd_without_modelled_memory_has_no_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
