// SPDX-License-Identifier: MIT
/*
 * selftest_access.c - the IOMMUFD_TEST access objects, after Linux 7.3's
 * drivers/iommu/iommufd/selftest.c (struct selftest_access,
 * iommufd_test_create_access(), _access_pages(), _access_item_destroy(),
 * _access_rw(), _access_replace_ioas(), iommufd_test_access_unmap(),
 * iommufd_test_staccess_release()): an iommufd_access (access.c) owned by
 * an anon-inode file ("[iommufd_test_staccess]") whose fd is the access's
 * handle; closing it unpins everything and destroys the access.
 *
 * ACCESS_PAGES pins a range and records it as an item (its id is
 * out_access_pages_id, counted per access from 0); the access's unmap op
 * drops every item an unmap touches, as a driver must. MOCK_FLAGS_ACCESS_SYZ
 * turns the IOVA into an area's (iommufd_test_syz_conv_iova()).
 */
#include <string.h>

#include "iommufd/iommufd_private.h"
#include "iommufd/iommufd_test.h"
#include "iommufd/selftest_private.h"
#include "core/kerrno.h"
#include "memory.h"

static void iommufd_test_access_unmap(void *data, u64 iova, u64 length);

static const struct iommufd_access_ops selftest_access_ops_pin = {
	.needs_pin_pages = true,
	.unmap = iommufd_test_access_unmap,
};

static const struct iommufd_access_ops selftest_access_ops = {
	.unmap = iommufd_test_access_unmap,
};

bool selftest_access_ops_is(const struct iommufd_access_ops *ops)
{
	return ops == &selftest_access_ops_pin || ops == &selftest_access_ops;
}

/* Drop the item at @i, unpinning it */
static void item_remove(struct selftest_access *staccess, guint i)
{
	struct selftest_access_item *item = staccess->items->pdata[i];

	iommufd_access_unpin_pages(staccess->access, item->iova, item->length);
	g_ptr_array_remove_index(staccess->items, i); /* frees it */
}

/* the access's ops->unmap: every item [iova, iova + length) touches */
static void iommufd_test_access_unmap(void *data, u64 iova, u64 length)
{
	struct selftest_access *staccess = data;
	u64 iova_last = iova + length - 1;

	for (guint i = 0; i < staccess->items->len;) {
		struct selftest_access_item *item = staccess->items->pdata[i];

		if (iova > item->iova + item->length - 1 ||
		    iova_last < item->iova) {
			i++;
			continue;
		}
		item_remove(staccess, i);
	}
}

/* the file's release: the last fd of the access is closed */
static void iommufd_test_staccess_release(void *private_data)
{
	struct selftest_access *staccess = private_data;

	if (staccess->access) {
		iommufd_test_access_unmap(staccess, 0, IOMMUFD_ULONG_MAX);
		iommufd_access_destroy(staccess->access);
	}
	g_ptr_array_free(staccess->items, TRUE);
	g_free(staccess);
}

/* iommufd_access_get(): the access behind fd @fd, a file reference held
 * in *filep; -EBADFD for any other fd */
static struct selftest_access *iommufd_access_get(struct iommufd_ucmd *ucmd,
						  int fd, struct file **filep)
{
	struct file *file = fget(ucmd->task, fd);

	if (file && file->release != iommufd_test_staccess_release) {
		fput(file);
		file = NULL;
	}
	if (!file) {
		iommu_refuse(ucmd->ictx->m, -EBADFD, "iommufd_access_get",
			     "fd %d is not an access", fd);
		return NULL;
	}
	*filep = file;
	return file->private_data;
}

/* IOMMU_TEST_OP_CREATE_ACCESS */
static int iommufd_test_create_access(struct iommufd_ucmd *ucmd,
				      struct iommu_test_cmd *cmd)
{
	struct selftest_access *staccess;
	struct iommufd_access *access;
	struct file *file;
	int fdno, rc;
	u32 id;

	if (cmd->create_access.flags &
	    ~MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES)
		return -EOPNOTSUPP;
	if (iommufd_should_fail(ucmd->ictx, "iommufd_test_alloc_access"))
		return -ENOMEM;
	staccess = g_new0(struct selftest_access, 1);
	staccess->m = ucmd->ictx->m;
	staccess->items = g_ptr_array_new_with_free_func(g_free);
	file = anon_inode_getfile("[iommufd_test_staccess]",
				  iommufd_test_staccess_release, staccess);
	rc = iommufd_access_create(
		ucmd->ictx,
		cmd->create_access.flags &
				MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES
			? &selftest_access_ops_pin
			: &selftest_access_ops,
		staccess, &id, &access);
	if (rc)
		goto out_put_file;
	rc = iommufd_access_attach(access, cmd->id);
	if (rc)
		goto out_destroy;
	/* get_unused_fd_flags(O_CLOEXEC) + fd_install(): the model's
	 * respond cannot fail, so the fd is had last */
	staccess->access = access;
	fdno = process_fd_install(ucmd->task, file);
	if (fdno < 0) {
		staccess->access = NULL;
		rc = -ENOMEM;
		goto out_destroy;
	}
	cmd->create_access.out_access_fd = (u32)fdno;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));

out_destroy:
	iommufd_access_destroy(access);
out_put_file:
	fput(file);
	return rc;
}

/* iommufd_test_check_pages(): each pinned page is the one under uptr */
static int check_pages(struct iommufd_ucmd *ucmd, u64 uptr, const u64 *pa,
		       u64 npages)
{
	for (u64 i = 0; i < npages; i++) {
		u64 user_pa = process_va_to_pa(
			ucmd->task, uptr + i * IOMMUFD_PAGE_SIZE, NULL);

		if (!user_pa)
			return -EFAULT; /* get_user_pages_fast() */
		if (user_pa != pa[i])
			return iommu_refuse(ucmd->ictx->m, -EBADE,
					    "iommufd_test_check_pages",
					    "page %llu is not the one at the "
					    "user pointer",
					    (unsigned long long)i);
	}
	return 0;
}

/*
 * __iommufd_test_syz_conv_iova(): syzkaller's IOVA is struct syz_layout
 * { u32 nth_area; u32 offset; } in the u64's bytes (little endian): the
 * IOVA of the IOAS's nth area (by IOVA) plus offset; 0 with no such area.
 */
static u64 syz_conv_iova(struct io_pagetable *iopt, u64 iova)
{
	u32 nth = (u32)iova, offset = (u32)(iova >> 32);

	if (nth >= iopt->areas->len)
		return 0;
	return iopt_area_iova(iopt->areas->pdata[nth]) + offset;
}

/*
 * iommufd_test_syz_conv_iova(): the access's IOAS's area, 0 with no IOAS.
 * The command keeps the IOVA it was given.
 */
static u64 iommufd_test_syz_conv_iova(struct iommufd_access *access, u64 iova)
{
	if (!access->ioas)
		return 0;
	return syz_conv_iova(&access->ioas->iopt, iova);
}

/*
 * iommufd_test_syz_conv_iova_id(), what IOMMU_IOAS_COPY calls first:
 * MOCK_FLAGS_ACCESS_SYZ is taken out of *flags whatever follows, and
 * *iova converted in IOAS @ioas_id; an id that is no IOAS leaves *iova
 * as it was (the handler's own lookup then refuses it). The command is
 * written back with both changed when it responds.
 */
void iommufd_test_syz_conv_iova_id(struct iommufd_ucmd *ucmd, u32 ioas_id,
				   iommufd_u64 *iova, u32 *flags)
{
	struct iommufd_ioas *ioas;

	if (!(*flags & MOCK_FLAGS_ACCESS_SYZ))
		return;
	*flags &= ~(u32)MOCK_FLAGS_ACCESS_SYZ;
	ioas = iommufd_get_ioas(ucmd->ictx, ioas_id);
	if (!ioas)
		return;
	*iova = syz_conv_iova(&ioas->iopt, *iova);
	iommufd_put_object(ucmd->ictx, &ioas->obj);
}

/* Pin, check against the user's pages, record the item; or nothing */
static int access_pages_pin(struct iommufd_ucmd *ucmd,
			    struct selftest_access *staccess,
			    struct iommu_test_cmd *cmd, u64 iova)
{
	u64 length = cmd->access_pages.length;
	u64 uptr = cmd->access_pages.uptr, off = iova % IOMMUFD_PAGE_SIZE;
	u64 npages = (off + length + IOMMUFD_PAGE_SIZE - 1) / IOMMUFD_PAGE_SIZE;
	g_autofree u64 *pa = g_new0(u64, npages);
	struct selftest_access_item *item;
	int rc;

	rc = iommufd_access_pin_pages(staccess->access, iova, length, pa,
				      cmd->access_pages.flags &
					      MOCK_FLAGS_ACCESS_WRITE);
	if (rc)
		return rc;
	/* a NULL uptr skips the check (for syzkaller) */
	if (uptr) {
		rc = check_pages(ucmd, uptr - off, pa, npages);
		if (rc) {
			iommufd_access_unpin_pages(staccess->access, iova,
						   length);
			return rc;
		}
	}
	item = g_new0(struct selftest_access_item, 1);
	item->iova = iova;
	item->length = length;
	item->id = staccess->next_id++;
	g_ptr_array_add(staccess->items, item);
	cmd->access_pages.out_access_pages_id = item->id;
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

/* IOMMU_TEST_OP_ACCESS_PAGES */
static int iommufd_test_access_pages(struct iommufd_ucmd *ucmd,
				     struct iommu_test_cmd *cmd)
{
	struct selftest_access *staccess;
	struct file *file;
	int rc;

	if (cmd->access_pages.length > 16ull << 20) /* kvzalloc()'s WARN */
		return -ENOMEM;
	if (cmd->access_pages.flags &
	    ~(MOCK_FLAGS_ACCESS_WRITE | MOCK_FLAGS_ACCESS_SYZ))
		return -EOPNOTSUPP;
	staccess = iommufd_access_get(ucmd, (int)cmd->id, &file);
	if (!staccess)
		return -EBADFD;
	if (staccess->access->ops != &selftest_access_ops_pin)
		rc = iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				  "iommufd_test_access_pages",
				  "the access was not made with "
				  "CREATE_NEEDS_PIN_PAGES");
	else
		rc = access_pages_pin(ucmd, staccess, cmd,
				      cmd->access_pages.flags &
						      MOCK_FLAGS_ACCESS_SYZ
					      ? iommufd_test_syz_conv_iova(
							staccess->access,
							cmd->access_pages.iova)
					      : cmd->access_pages.iova);
	fput(file);
	return rc;
}

/* IOMMU_TEST_OP_DESTROY_ACCESS_PAGES */
static int iommufd_test_access_item_destroy(struct iommufd_ucmd *ucmd,
					    u32 access_fd, u32 item_id)
{
	struct selftest_access *staccess;
	struct file *file;
	int rc = -ENOENT;

	staccess = iommufd_access_get(ucmd, (int)access_fd, &file);
	if (!staccess)
		return -EBADFD;
	for (guint i = 0; i < staccess->items->len; i++) {
		struct selftest_access_item *item = staccess->items->pdata[i];

		if (item->id == item_id) {
			item_remove(staccess, i);
			rc = 0;
			break;
		}
	}
	fput(file);
	if (rc)
		return iommu_refuse(ucmd->ictx->m, rc,
				    "iommufd_test_access_item_destroy",
				    "no item %u", item_id);
	return 0;
}

/* IOMMU_TEST_OP_ACCESS_RW: through a kernel buffer, as 7.3 copies */
static int iommufd_test_access_rw(struct iommufd_ucmd *ucmd,
				  struct iommu_test_cmd *cmd)
{
	u64 length = cmd->access_rw.length, ubuf = cmd->access_rw.uptr;
	u64 iova = cmd->access_rw.iova;
	unsigned int flags = cmd->access_rw.flags;
	struct selftest_access *staccess;
	u8 *tmp;
	struct file *file;
	int rc;

	if (length > 16ull << 20)
		return -ENOMEM;
	if (flags & ~(MOCK_ACCESS_RW_WRITE | MOCK_ACCESS_RW_SLOW_PATH |
		      MOCK_FLAGS_ACCESS_SYZ))
		return -EOPNOTSUPP;
	staccess = iommufd_access_get(ucmd, (int)cmd->id, &file);
	if (!staccess)
		return -EBADFD;
	/* kvzalloc(length): modelled memory, -ENOMEM past the budget */
	tmp = iommu_memory_buffer(ucmd->ictx->m, length);
	if (!tmp) {
		fput(file);
		return iommu_refuse(ucmd->ictx->m, -ENOMEM,
				    "iommufd_test_access_rw",
				    "kvzalloc() of %" G_GUINT64_FORMAT
				    " bytes: past the memory budget",
				    length);
	}
	rc = 0;
	if (flags & MOCK_ACCESS_RW_WRITE)
		rc = process_copy_from_user(ucmd->task, tmp, ubuf, length);
	if (!rc && (flags & MOCK_FLAGS_ACCESS_SYZ))
		iova = iommufd_test_syz_conv_iova(staccess->access, iova);
	if (!rc)
		rc = iommufd_access_rw(staccess->access, iova, tmp, length,
				       flags);
	if (!rc && !(flags & MOCK_ACCESS_RW_WRITE))
		rc = process_copy_to_user(ucmd->task, ubuf, tmp, length);
	iommu_memory_buffer_free(ucmd->ictx->m, tmp, length);
	fput(file);
	return rc;
}

/* IOMMU_TEST_OP_ACCESS_REPLACE_IOAS */
static int iommufd_test_access_replace_ioas(struct iommufd_ucmd *ucmd,
					    u32 access_fd, u32 ioas_id)
{
	struct selftest_access *staccess;
	struct file *file;
	int rc;

	staccess = iommufd_access_get(ucmd, (int)access_fd, &file);
	if (!staccess)
		return -EBADFD;
	rc = iommufd_access_replace(staccess->access, ioas_id);
	fput(file);
	return rc;
}

int iommufd_test_access(struct iommufd_ucmd *ucmd)
{
	struct iommu_test_cmd *cmd = ucmd->cmd;

	switch (cmd->op) {
	case IOMMU_TEST_OP_CREATE_ACCESS:
		return iommufd_test_create_access(ucmd, cmd);
	case IOMMU_TEST_OP_ACCESS_REPLACE_IOAS:
		return iommufd_test_access_replace_ioas(
			ucmd, cmd->id, cmd->access_replace_ioas.ioas_id);
	case IOMMU_TEST_OP_ACCESS_PAGES:
		return iommufd_test_access_pages(ucmd, cmd);
	case IOMMU_TEST_OP_ACCESS_RW:
		return iommufd_test_access_rw(ucmd, cmd);
	case IOMMU_TEST_OP_DESTROY_ACCESS_PAGES:
		return iommufd_test_access_item_destroy(
			ucmd, cmd->id,
			cmd->destroy_access_pages.access_pages_id);
	default:
		return -EOPNOTSUPP;
	}
}
