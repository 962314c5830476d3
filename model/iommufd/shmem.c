// SPDX-License-Identifier: MIT
/*
 * shmem.c - read() and write() of a memfd, after Linux 7.3's mm/shmem.c
 * shmem_file_read_iter() and shmem_file_write_iter() (mm/filemap.c
 * generic_perform_write()): at the file's position f_pos, which each
 * advances by what it copied, a page at a time.
 *
 * The bytes are the modelled physmem's at the file's page PAs
 * (f->pages), the same pages IOMMU_IOAS_MAP_FILE pins and a domain maps
 * (pages.c iopt_pages_index_to_pa()): a device's DMA into a mapped memfd
 * is what a read() of it returns, and a write() is what the device reads.
 * f->budget is that physmem (the creating process's, process_charge_to());
 * a file without one (a unit test's process) has no modelled contents and
 * no read or write (process_file_rw(): -EINVAL, as before).
 *
 * A pwrite() past i_size leaves the pages between unallocated: holes,
 * which read as zeros and take no record, as shmem's page cache has no
 * folio there until one is written, mapped or pinned (shmem_get_folio()).
 *
 * Seals (F_SEAL_WRITE, F_SEAL_GROW: shmem_write_begin()'s -EPERM) are
 * not modelled: memfd_create() without MFD_ALLOW_SEALING seals the seals
 * themselves (mm/memfd.c), and nothing here adds one.
 */
#include <string.h>

#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"
#include "pt/physmem.h"

/* include/linux/fs.h MAX_RW_COUNT (INT_MAX & PAGE_MASK): vfs_read() and
 * vfs_write() cut a larger count to it */
#define MAX_RW_COUNT (0x7fffffffull & ~(u64)(PROCESS_PAGE_SIZE - 1))

/* The place of page @index in @f's pages: its own, or where it would go
 * (a binary search: the pages are sorted by index). */
static guint page_slot(const struct file *f, u64 index)
{
	guint lo = 0, hi = f->pages ? f->pages->len : 0;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (g_array_index(f->pages, struct shmem_page, mid).index <
		    index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

u64 shmem_page_find(const struct file *f, u64 index)
{
	guint i = page_slot(f, index);

	if (f->pages && i < f->pages->len &&
	    g_array_index(f->pages, struct shmem_page, i).index == index)
		return g_array_index(f->pages, struct shmem_page, i).pa;
	return 0;
}

void shmem_page_insert(struct file *f, u64 index, u64 pa)
{
	struct shmem_page pg = { index, pa };

	if (!f->pages)
		f->pages = g_array_new(FALSE, FALSE, sizeof(struct shmem_page));
	if (!shmem_page_find(f, index))
		g_array_insert_val(f->pages, page_slot(f, index), pg);
}

/* Page @index as the next data page of the budget, its record charged
 * (the caller checked it may be) */
static u64 page_add(struct file *f, u64 index)
{
	u64 pa = physmem_alloc_data_page(f->budget);

	shmem_page_insert(f, index, pa);
	physmem_charge(f->budget, sizeof(u64));
	f->budget_bytes += sizeof(u64);
	return pa;
}

u64 shmem_page_get(struct file *f, u64 index, int *err)
{
	u64 pa = shmem_page_find(f, index);

	if (pa)
		return pa;
	if (!f->budget || !physmem_may_charge(f->budget, sizeof(u64))) {
		*err = -ENOMEM;
		return 0;
	}
	return page_add(f, index);
}

u64 shmem_holes(const struct file *f, u64 n)
{
	/* the pages below @n are the first page_slot(n) of the sorted,
	 * distinct indexes */
	return n - page_slot(f, n);
}

/*
 * shmem_get_folio(SGP_WRITE) for the page at f_pos: the file's, or a new
 * one where the file has none (past its last page, or a hole a pwrite()
 * past i_size left: the pages between are never allocated, and read as
 * zeros). Its PA, or 0 and *err (-ENOMEM: its record past the budget).
 * A new page is taken only by shmem_page_commit(), after the bytes are
 * in.
 */
static u64 shmem_page_pa(struct file *f, int *err)
{
	u64 pa = shmem_page_find(f, f->pos / PROCESS_PAGE_SIZE);

	if (pa)
		return pa;
	if (!physmem_may_charge(f->budget, sizeof(u64))) {
		*err = -ENOMEM;
		return 0;
	}
	return physmem_next_data_page(f->budget);
}

/* shmem_write_end(): the page the write used is the file's, and i_size
 * grows to cover what was written */
static void shmem_page_commit(struct file *f, u64 end)
{
	u64 index = f->pos / PROCESS_PAGE_SIZE;

	if (!shmem_page_find(f, index))
		page_add(f, index);
	f->size = MAX(f->size, end);
}

/* copy_folio_to_iter(): @nr bytes at f_pos to the user's @ubuf, through
 * @bounce; a hole reads as zeros (the ZERO_PAGE copy), as never-written
 * physmem does */
static int shmem_read_chunk(struct file *f, struct process *task, u64 ubuf,
			    u8 *bounce, u64 nr)
{
	u64 pa = shmem_page_find(f, f->pos / PROCESS_PAGE_SIZE);
	int err = 0;

	if (pa)
		err = physmem_read(f->budget, pa + f->pos % PROCESS_PAGE_SIZE,
				   bounce, nr);
	else
		memset(bounce, 0, nr);
	if (!err && process_copy_to_user(task, ubuf, bounce, nr))
		err = -EFAULT;
	return err;
}

/* shmem_write_begin(), copy_folio_from_iter_atomic(), shmem_write_end():
 * @nr bytes of the user's @ubuf at f_pos, i_size extended past them */
static int shmem_write_chunk(struct file *f, struct process *task, u64 ubuf,
			     u8 *bounce, u64 nr)
{
	int err = 0;
	u64 pa = shmem_page_pa(f, &err);

	if (!err && process_copy_from_user(task, bounce, ubuf, nr))
		err = -EFAULT;
	if (!err)
		err = physmem_write(f->budget, pa + f->pos % PROCESS_PAGE_SIZE,
				    bounce, nr);
	if (!err)
		shmem_page_commit(f, f->pos + nr);
	return err;
}

/*
 * A page at a time from f_pos, which moves past each chunk copied:
 * shmem_file_read_iter() up to i_size ("if (iocb->ki_pos >= i_size)
 * break": 0 bytes at or past it), generic_perform_write() on past it.
 * A chunk that fails (a user buffer's -EFAULT, a page or its bytes past
 * the memory budget: -ENOMEM) ends the call, having changed nothing: what
 * was copied, else that error.
 */
static ssize_t shmem_rw(struct file *f, struct process *task, u64 ubuf,
			u64 count, bool write)
{
	u8 bounce[PROCESS_PAGE_SIZE];
	u64 done = 0;
	int err = 0;

	count = MIN(count, MAX_RW_COUNT);
	while (done < count && (write || f->pos < f->size)) {
		u64 nr = MIN(PROCESS_PAGE_SIZE - f->pos % PROCESS_PAGE_SIZE,
			     count - done);

		if (!write)
			nr = MIN(nr, f->size - f->pos);
		err = write ? shmem_write_chunk(f, task, ubuf + done, bounce,
						nr)
			    : shmem_read_chunk(f, task, ubuf + done, bounce,
					       nr);
		if (err)
			break;
		f->pos += nr;
		done += nr;
	}
	return done ? (ssize_t)done : err;
}

ssize_t shmem_file_read(struct file *f, struct process *task, u64 ubuf,
			u64 count)
{
	return shmem_rw(f, task, ubuf, count, false);
}

ssize_t shmem_file_write(struct file *f, struct process *task, u64 ubuf,
			 u64 count)
{
	return shmem_rw(f, task, ubuf, count, true);
}
