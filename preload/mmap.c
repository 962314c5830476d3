// SPDX-License-Identifier: MIT
/*
 * mmap.c - mmap() of a /dev/iommu fd: a region a driver made for the
 * user (the mock vIOMMU's page, iommufd_viommu_alloc_mmap()), mapped as
 * iommufd_fops_mmap() maps it, and the VMA's life after (munmap,
 * mremap).
 *
 * The region is physical memory of the model's (the mock's page is
 * kernel pages of its physmem at a PA of their own, iommu_get_free_pages()
 * and iommu_phys_to_virt(): shared anonymous host memory); the program's
 * mapping is a second mapping of the same pages (mremap() with old size
 * 0), so what the program writes the model reads and the other way round,
 * as with io_remap_pfn_range() of the region's PA.
 *
 * Each VMA holds what the kernel's does: a users reference on the
 * region's owner (iommufd_fops_vma_open()/_close(): IOMMU_DESTROY of the
 * vIOMMU is -EBUSY while mapped) and a file reference on the ctx (closing
 * the fd keeps the ctx while mapped). munmap of part of it splits it, the
 * new VMA taking its own references (split_vma() runs vm_ops->open). A
 * forked child's copies take theirs (dup_mmap()) and give them back at
 * its munmap or exit (exit_mmap()): each process's list is its
 * shim_proc's, the one fork.c switches to while serving it.
 *
 * mmap() of a VFIO device fd maps a BAR (vfio_pci_core_mmap(), the
 * model's checks): the BAR's contents are one shared memfd mapping per
 * device and BAR, made at the first mmap and kept while the shim lives,
 * and each mapping of it is a second mapping of those pages, so every
 * mapping of a BAR sees the same bytes, as of the same MMIO. The memfd's
 * name marks its mappings for the pager as the kernel's VM_IO |
 * VM_PFNMAP VMA (iommufd cannot pin them, type1 maps their pfns). No
 * register of the device behaves: the BAR is plain memory. Nothing is
 * counted against the device file (7.3's VMA holds the file: a close
 * while mapped keeps it open; the model's close releases at once).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "preload.h"
#include "model/iommufd/iommufd.h"
#include "model/vfio/vfio.h"

#define PAGE_SZ 4096ul

/* One VMA of a served region */
struct shim_vma {
	uintptr_t start, end;
	struct iommufd_mmap *immap;
	struct iommufd_ctx *ictx;
};

/* the calling process's VMAs (struct shim_vma *) */
static GList **cur_vmas(void)
{
	return shim.vmas ? shim.vmas : &shim.self.vmas;
}

static struct shim_vma *vma_add(GList **vmas, uintptr_t start, uintptr_t end,
				struct iommufd_mmap *immap,
				struct iommufd_ctx *ictx)
{
	struct shim_vma *v = g_new0(struct shim_vma, 1);

	v->start = start;
	v->end = end;
	v->immap = immap;
	v->ictx = ictx;
	*vmas = g_list_prepend(*vmas, v);
	return v;
}

static struct shim_vma *vma_new(uintptr_t start, uintptr_t end,
				struct iommufd_mmap *immap,
				struct iommufd_ctx *ictx)
{
	return vma_add(cur_vmas(), start, end, immap, ictx);
}

/* A copy of @v's references for another VMA (split_vma()) */
static void vma_open(struct shim_vma *v)
{
	iommufd_fops_vma_open(v->immap);
	iommufd_fops_dup(v->ictx);
}

/* remove_vma(): vm_ops->close, then fput() (the ctx may go with it) */
static void vma_close(GList **vmas, struct shim_vma *v)
{
	*vmas = g_list_remove(*vmas, v);
	iommufd_fops_vma_close(v->immap);
	iommufd_fops_close(v->ictx);
	g_free(v);
}

void shim_vma_fork(GList **to, GList *from)
{
	for (GList *l = from; l; l = l->next) {
		struct shim_vma *v = l->data;

		vma_open(vma_add(to, v->start, v->end, v->immap, v->ictx));
	}
}

void shim_vma_exit(GList **vmas)
{
	while (*vmas)
		vma_close(vmas, (*vmas)->data);
}

/* [addr, addr + len) is no longer mapped: what each VMA had there goes,
 * a VMA cut in two becomes two */
void shim_vma_unmap(uintptr_t addr, size_t len)
{
	uintptr_t end = addr + len;
	GList **vmas = cur_vmas();
	GList *l = *vmas;

	while (l) {
		struct shim_vma *v = l->data;

		l = l->next;
		if (v->end <= addr || v->start >= end)
			continue;
		if (v->start >= addr && v->end <= end) {
			vma_close(vmas, v);
			continue;
		}
		if (v->start < addr && v->end > end) {
			vma_open(vma_new(end, v->end, v->immap, v->ictx));
			v->end = addr;
		} else if (v->start < addr) {
			v->end = addr;
		} else {
			v->start = end;
		}
	}
}

/* The mm's own checks before f_op->mmap: a length, a page offset */
static int mm_checks(size_t len, off_t off)
{
	if (!len || len > SIZE_MAX - PAGE_SZ)
		return -EINVAL;
	if (off & (PAGE_SZ - 1))
		return -EINVAL;
	return 0;
}

/* A second mapping of @kaddr's pages at @addr (MAP_FIXED: exactly) with
 * @prot: the address, or MAP_FAILED with errno */
static void *map_shared_alias(void *kaddr, size_t len, void *addr, int prot,
			      int flags)
{
	int rflags = MREMAP_MAYMOVE | (flags & MAP_FIXED ? MREMAP_FIXED : 0);
	void *p = mremap(kaddr, 0, len, rflags, addr);

	if (p == MAP_FAILED)
		return p;
	if (prot != (PROT_READ | PROT_WRITE) && mprotect(p, len, prot)) {
		munmap(p, len);
		return MAP_FAILED;
	}
	return p;
}

/* Shared pages of a memfd named SHIM_BAR_MEMFD: /proc/PID/maps names it,
 * so the pager (state.c) knows them for a BAR's, VM_IO | VM_PFNMAP */
static void *bar_pages(size_t len)
{
	int fd = memfd_create(SHIM_BAR_MEMFD, MFD_CLOEXEC);
	void *p = MAP_FAILED;

	if (fd < 0)
		return p;
	if (!ftruncate(fd, (off_t)len))
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	real_close(fd);
	return p;
}

/* The pages standing for BAR @bar of @dev, @len (page-aligned) long:
 * made at the first call, the same after; NULL when the host refuses */
static void *bar_backing(const char *dev, unsigned int bar, size_t len)
{
	static GHashTable *bars; /* "device/bar" -> its pages */
	char *key = g_strdup_printf("%s/%u", dev, bar);
	void *p;

	if (!bars)
		bars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     NULL);
	p = g_hash_table_lookup(bars, key);
	if (p) {
		g_free(key);
		return p;
	}
	p = bar_pages(len);
	if (p == MAP_FAILED) {
		g_free(key);
		return NULL;
	}
	g_hash_table_insert(bars, key, p);
	return p;
}

/* mmap() of a served VFIO fd: a BAR of the device, as the model allows */
static void *vfio_mmap(struct shim_file *f, void *addr, size_t len, int prot,
		       int flags, off_t off, int *err)
{
	const char *dev = vfio_file_pci_name(f->vf);
	unsigned int bar;
	uint64_t start, blen;
	void *base, *p;
	int rc = mm_checks(len, off);

	len = (len + PAGE_SZ - 1) & ~(PAGE_SZ - 1);
	if (!rc)
		rc = vfio_device_mmap(f->vf, (uint64_t)off / PAGE_SZ, len,
				      (flags & MAP_TYPE) != MAP_PRIVATE, &bar,
				      &start, &blen);
	if (!rc) {
		base = bar_backing(dev, bar, blen);
		rc = base ? 0 : -ENOMEM;
	}
	p = rc ? MAP_FAILED
	       : map_shared_alias((char *)base + start, len, addr, prot, flags);
	if (!rc && p == MAP_FAILED)
		rc = -errno;
	shim_log("mmap of %s at offset 0x%llx: %d, %zu bytes at %p", f->path,
		 (unsigned long long)off, rc, len, p);
	*err = -rc;
	return p;
}

/* mmap() of the served /dev/iommu fd @fd, inside the shim: the address,
 * or -errno in *err and MAP_FAILED */
void *shim_mmap_served(int fd, void *addr, size_t len, int prot, int flags,
		       off_t off, int *err)
{
	struct shim_file *f = shim_fd_get(fd);
	struct iommufd_mmap *immap;
	void *kaddr, *p;
	size_t alen;
	int rc;

	if (f && !f->ictx && f->vf)
		return vfio_mmap(f, addr, len, prot, flags, off, err);
	if (!f || !f->ictx) {
		*err = f ? EINVAL : EBADF;
		return MAP_FAILED;
	}
	rc = mm_checks(len, off);
	if (rc)
		goto out_err;
	alen = (len + PAGE_SZ - 1) & ~(PAGE_SZ - 1);
	rc = iommufd_fops_mmap(f->ictx, (uint64_t)off / PAGE_SZ, alen,
			       (flags & MAP_TYPE) != MAP_PRIVATE,
			       prot & PROT_EXEC, &immap, &kaddr);
	if (rc)
		goto out_err;
	p = map_shared_alias(kaddr, alen, addr, prot, flags);
	if (p == MAP_FAILED) {
		rc = -errno;
		iommufd_fops_vma_close(immap);
		goto out_err;
	}
	if (flags & MAP_FIXED) /* what was there is gone (a served VMA too) */
		shim_vma_unmap((uintptr_t)p, alen);
	iommufd_fops_dup(f->ictx); /* the VMA's vm_file */
	vma_new((uintptr_t)p, (uintptr_t)p + alen, immap, f->ictx);
	shim_log("mmap of %s at offset 0x%llx: %zu bytes at %p", f->path,
		 (unsigned long long)off, alen, p);
	return p;

out_err:
	shim_log("mmap of %s at offset 0x%llx: %d", f->path,
		 (unsigned long long)off, rc);
	*err = -rc;
	return MAP_FAILED;
}

/*
 * mremap() of [old, old + old_len) before the real one (mm/mremap.c
 * check_prep_vma() on the VM_DONTEXPAND | VM_PFNMAP VMA
 * remap_pfn_range() made): 0 to go on; -EINVAL with MREMAP_DONTUNMAP;
 * -EFAULT when it would grow it (old_len 0, a copy of it, grows from 0).
 */
int shim_vma_mremap_check(uintptr_t old, size_t old_len, size_t new_len,
			  int flags)
{
	uintptr_t last = old + (old_len ? old_len : 1);

	for (GList *l = *cur_vmas(); l; l = l->next) {
		struct shim_vma *v = l->data;

		if (v->start >= last || v->end <= old)
			continue;
		if (flags & MREMAP_DONTUNMAP)
			return -EINVAL;
		if (new_len > old_len)
			return -EFAULT;
	}
	return 0;
}

/* After a successful mremap(): a shrunk VMA lost its tail, a moved one
 * is at its new place */
void shim_vma_moved(uintptr_t old, size_t old_len, uintptr_t new,
		    size_t new_len)
{
	if (new_len < old_len)
		shim_vma_unmap(old + new_len, old_len - new_len);
	if (new == old)
		return;
	for (GList *l = *cur_vmas(); l; l = l->next) {
		struct shim_vma *v = l->data;

		if (v->start >= old && v->end <= old + new_len) {
			v->start = v->start - old + new;
			v->end = v->end - old + new;
		}
	}
}
